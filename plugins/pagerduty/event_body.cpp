// SPDX-License-Identifier: Apache-2.0
#include "event_body.hpp"

#include <optional>

#include <vigil/output.hpp>
#include <vigil/output_text.hpp>
#include <vigil/severity.hpp>

namespace vigil_pagerduty {
namespace {

using vigil::json::append_string;
using vigil::json::string_at;

std::string_view or_empty(const char *text)
{
    return text != nullptr ? text : "";
}

std::string_view json_of(const vigil_alert &alert)
{
    return alert.json != nullptr ? std::string_view(alert.json, alert.json_size) : std::string_view();
}

bool in_container(const vigil_alert &alert)
{
    return alert.container_id != nullptr && alert.container_id[0] != '\0';
}

std::string_view node_of(const vigil_alert &alert, std::string_view fallback_node)
{
    return alert.node != nullptr && alert.node[0] != '\0' ? std::string_view(alert.node) : fallback_node;
}

std::string_view short_id(std::string_view container_id)
{
    return container_id.substr(0, 12);
}

// The alert JSON's name; a severity from a newer ABI reads as "info" here.
std::string_view severity_word(uint32_t severity)
{
    return vigil::severity_name(severity, "info");
}

} // namespace

std::string_view pagerduty_severity(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
        return "critical";
    case VIGIL_SEVERITY_HIGH:
        return "error";
    case VIGIL_SEVERITY_MEDIUM:
        return "warning";
    default:
        return "info";
    }
}

std::string dedup_key(const vigil_alert &alert, std::string_view fallback_node)
{
    std::string key("vigil/");
    // The sensor's own key of the finding: the one its deduplicator groups
    // repeats by, with the detector's notion of "the same" in it.
    if (auto finding = vigil::finding_key(alert); !finding.empty()) {
        key += finding;
        return vigil::text::bounded_key(key, max_dedup_key);
    }
    // An ABI 1.2 sensor: rule, container (or node and pid), executable.
    key += or_empty(alert.rule);
    key += '/';
    if (in_container(alert)) {
        key += alert.container_id;
    } else {
        key += node_of(alert, fallback_node);
        key += "/pid";
        key += std::to_string(alert.pid);
    }
    key += '/';
    key += or_empty(alert.exe);
    return vigil::text::bounded_key(key, max_dedup_key);
}

std::string event_source(const vigil_alert &alert, std::string_view fallback_node)
{
    std::string source(node_of(alert, fallback_node));
    if (!in_container(alert)) {
        return source;
    }
    auto json = json_of(alert);
    auto pod = string_at(json, {"k8s", "pod"});
    auto pod_namespace = string_at(json, {"k8s", "namespace"});
    source += '/';
    if (pod && !pod->empty()) {
        if (pod_namespace && !pod_namespace->empty()) {
            source += *pod_namespace + "/";
        }
        source += *pod;
    } else {
        source += short_id(alert.container_id);
    }
    return source;
}

std::string event_summary(const vigil_alert &alert, std::string_view fallback_node)
{
    std::string summary(or_empty(alert.summary).empty() ? or_empty(alert.rule) : or_empty(alert.summary));
    summary += " (";
    summary += severity_word(alert.severity);
    summary += ", ";
    summary += or_empty(alert.rule);
    summary += ", ";
    if (in_container(alert)) {
        summary += "container ";
        summary += short_id(alert.container_id);
        summary += " on ";
    } else {
        summary += "host ";
    }
    summary += node_of(alert, fallback_node);
    summary += ')';
    if (alert.repeat_count > 0) {
        summary += ", repeated " + std::to_string(alert.repeat_count) + " more times";
    }
    summary.resize(vigil::json::utf8_prefix(summary, max_summary).size());
    return summary;
}

std::string event_body(const vigil_alert &alert, std::string_view fallback_node, std::size_t max_bytes)
{
    const auto json = json_of(alert);
    auto pod_namespace = string_at(json, {"k8s", "namespace"});

    std::string body("{\"event_action\":\"trigger\",\"dedup_key\":");
    append_string(body, dedup_key(alert, fallback_node));
    body += ",\"client\":\"vigil\",\"payload\":{\"summary\":";
    append_string(body, event_summary(alert, fallback_node));
    body += ",\"source\":";
    append_string(body, event_source(alert, fallback_node));
    body += ",\"severity\":";
    append_string(body, pagerduty_severity(alert.severity));
    body += ",\"timestamp\":";
    append_string(body, vigil::text::iso8601_utc_ms(alert.time_unix_ns));
    body += ",\"component\":";
    append_string(body, or_empty(alert.exe).empty() ? or_empty(alert.plugin) : or_empty(alert.exe));
    body += ",\"group\":";
    if (pod_namespace && !pod_namespace->empty()) {
        append_string(body, *pod_namespace);
    } else {
        append_string(body, in_container(alert) ? "containers" : "host");
    }
    body += ",\"class\":";
    append_string(body, or_empty(alert.rule));
    body += ",\"custom_details\":";
    // Room for the routing key member added at send time, and the closing braces.
    const std::size_t routing_key_room = 20 + routing_key_length;
    const bool object = json.size() >= 2 && json.front() == '{' && json.back() == '}';
    if (object && body.size() + json.size() + 2 + routing_key_room <= max_bytes) {
        body += json;
    } else {
        body += "{\"rule\":";
        append_string(body, or_empty(alert.rule));
        body += ",\"severity\":";
        append_string(body, severity_word(alert.severity));
        body += ",\"vigil_truncated\":true}";
    }
    body += "}}";
    return body;
}

std::string with_routing_key(std::string_view body, std::string_view routing_key)
{
    std::string out("{\"routing_key\":");
    append_string(out, routing_key);
    if (body.size() > 2) {
        out += ',';
    }
    out += body.substr(body.empty() ? 0 : 1);
    return out;
}

} // namespace vigil_pagerduty
