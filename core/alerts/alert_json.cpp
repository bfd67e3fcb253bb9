// SPDX-License-Identifier: Apache-2.0
// The JSON form of an alert: what the jsonl output writes and what every
// output receives in vigil_alert.json. Key order is fixed so that lines are
// stable and diffable:
//
//   {"time","rule","plugin","severity","summary",
//    "mitre":{"tactics":[{"id","name"}],"techniques":[...]},
//    "process":{"pid","tid","exe","cmdline","uid","gid","ancestry":[{"pid","exe","cmdline"}]},
//    "container":{"id","runtime"},                      (only for container processes)
//    "k8s":{"namespace","pod","pod_uid","node","workload":{"kind","name","template_hash"},
//           "service_account","labels":{"<key>":"<value>",...},"source"},
//    "evidence":{...},
//    "repeat":{"count","first","last"}}                  (only on dedup summaries)
//
// In "k8s", fields that are empty are left out, except "node"; "labels" only
// when the pod has some of the configured ones. "source" says where the rest
// came from: "cgroup" (no API server configured: container and pod UID only),
// "api" (the pod as the Kubernetes API reports it), "unresolved" (an API
// server is configured but had not reported the pod within the wait).
#include "core/alerts/alert.hpp"

#include <type_traits>

#include "core/alerts/rfc3339.hpp"
#include "core/util/json_writer.hpp"

namespace vigil::alerts {
namespace {

// Room for a typical alert, so that rendering rarely reallocates.
constexpr std::size_t typical_json_size = 1024;

void write_time(JsonWriter &json, std::string &scratch, std::string_view name, uint64_t unix_ns)
{
    scratch.clear();
    append_rfc3339(scratch, unix_ns);
    json.member(name, scratch);
}

void write_attack_refs(JsonWriter &json, std::string_view name, const std::vector<AttackRef> &refs)
{
    json.key(name).begin_array();
    for (const auto &ref : refs) {
        json.begin_object().member("id", ref.id).member("name", ref.name).end_object();
    }
    json.end_array();
}

void write_process(JsonWriter &json, const ProcessContext &process)
{
    json.key("process").begin_object();
    json.member("pid", process.pid).member("tid", process.tid);
    json.member("exe", process.exe).member("cmdline", process.cmdline);
    json.member("uid", process.uid).member("gid", process.gid);
    json.key("ancestry").begin_array();
    for (const auto &ancestor : process.ancestry) {
        json.begin_object()
            .member("pid", ancestor.pid)
            .member("exe", ancestor.exe)
            .member("cmdline", ancestor.cmdline)
            .end_object();
    }
    json.end_array().end_object();
}

void write_if_set(JsonWriter &json, std::string_view name, const std::string &value)
{
    if (!value.empty()) {
        json.member(name, value);
    }
}

void write_kubernetes(JsonWriter &json, const KubernetesContext &k8s)
{
    json.key("k8s").begin_object();
    write_if_set(json, "namespace", k8s.namespace_name);
    write_if_set(json, "pod", k8s.pod);
    write_if_set(json, "pod_uid", k8s.pod_uid);
    json.member("node", k8s.node);
    if (!k8s.workload_kind.empty() || !k8s.workload_name.empty()) {
        json.key("workload").begin_object();
        write_if_set(json, "kind", k8s.workload_kind);
        write_if_set(json, "name", k8s.workload_name);
        write_if_set(json, "template_hash", k8s.template_hash);
        json.end_object();
    }
    write_if_set(json, "service_account", k8s.service_account);
    if (!k8s.labels.empty()) {
        json.key("labels").begin_object();
        for (const auto &[key, value] : k8s.labels) {
            json.member(key, value);
        }
        json.end_object();
    }
    write_if_set(json, "source", k8s.source);
    json.end_object();
}

void write_evidence_value(JsonWriter &json, const EvidenceValue &value)
{
    std::visit(
        [&json](const auto &held) {
            using Held = std::decay_t<decltype(held)>;
            if constexpr (std::is_same_v<Held, std::string>) {
                json.string(held);
            } else if constexpr (std::is_same_v<Held, int64_t>) {
                json.integer(held);
            } else if constexpr (std::is_same_v<Held, uint64_t>) {
                json.unsigned_integer(held);
            } else if constexpr (std::is_same_v<Held, bool>) {
                json.boolean(held);
            } else {
                json.begin_array();
                for (const auto &item : held) {
                    json.string(item);
                }
                json.end_array();
            }
        },
        value);
}

} // namespace

std::string to_json(const Alert &alert)
{
    std::string out;
    out.reserve(typical_json_size);
    std::string scratch;
    JsonWriter json(out);

    json.begin_object();
    write_time(json, scratch, "time", alert.time_unix_ns);
    json.member("rule", alert.rule);
    json.member("plugin", alert.plugin);
    json.member("severity", severity_name(alert.severity));
    json.member("summary", alert.summary);

    json.key("mitre").begin_object();
    write_attack_refs(json, "tactics", alert.tactics);
    write_attack_refs(json, "techniques", alert.techniques);
    json.end_object();

    if (alert.process) {
        write_process(json, *alert.process);
    }
    if (alert.container) {
        json.key("container").begin_object();
        json.member("id", alert.container->id);
        json.member("runtime", alert.container->runtime);
        json.end_object();
    }
    write_kubernetes(json, alert.k8s);

    json.key("evidence").begin_object();
    for (const auto &field : alert.evidence) {
        json.key(field.key);
        write_evidence_value(json, field.value);
    }
    json.end_object();

    if (alert.repeat) {
        json.key("repeat").begin_object();
        json.member("count", alert.repeat->count);
        write_time(json, scratch, "first", alert.repeat->first_unix_ns);
        write_time(json, scratch, "last", alert.repeat->last_unix_ns);
        json.end_object();
    }
    json.end_object();
    return out;
}

} // namespace vigil::alerts
