// SPDX-License-Identifier: Apache-2.0
// The sensor's own copy of an alert. A detector's vigil_alert_request only
// lives for the emit_alert call; this owns every string, so it can be
// enriched, held by the deduplicator and rendered later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/severity.hpp>

namespace vigil::alerts {

struct AttackRef {
    std::string id;
    std::string name;
};

struct Ancestor {
    uint32_t pid = 0;
    std::string exe;
    std::string cmdline;
};

struct ProcessContext {
    uint32_t pid = 0;
    uint32_t tid = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::string exe;
    std::string cmdline;
    std::vector<Ancestor> ancestry; // parent first
};

struct ContainerContext {
    std::string id; // 64 hex characters
    std::string runtime;
};

struct KubernetesContext {
    std::string namespace_name;
    std::string pod;
    std::string pod_uid;
    std::string node;
    std::string workload_kind;
    std::string workload_name;
    // The revision of the workload's pod template this pod came from
    // (pod-template-hash, or controller-revision-hash for DaemonSets and StatefulSets).
    std::string template_hash;
    std::string service_account;
    std::vector<std::pair<std::string, std::string>> labels; // the pod labels [kubernetes] labels selects
    // Where the fields came from: "cgroup" (no API server configured), "api",
    // or "unresolved" (an API server is configured but did not report the pod in time).
    std::string source;
};

using EvidenceValue = std::variant<std::string, int64_t, uint64_t, bool, std::vector<std::string>>;

struct EvidenceField {
    std::string key;
    EvidenceValue value;
};

// On the summary the deduplicator sends when a window closes: how many
// repeats it held back, and when the first and last of them happened.
struct Repeat {
    uint64_t count = 0;
    uint64_t first_unix_ns = 0;
    uint64_t last_unix_ns = 0;
};

struct Alert {
    uint64_t time_unix_ns = 0;
    std::string rule;   // "injection.ptrace_attach"
    std::string plugin; // "injection"
    vigil_severity severity = VIGIL_SEVERITY_INFO;
    std::string summary;
    std::vector<AttackRef> tactics;
    std::vector<AttackRef> techniques;
    std::optional<ProcessContext> process;
    std::optional<ContainerContext> container; // absent for host processes
    KubernetesContext k8s;                     // node always set; pod_uid from the cgroup when known
    std::vector<EvidenceField> evidence;
    std::string dedup_key;        // what makes two alerts of a rule the same finding; not rendered
    std::optional<Repeat> repeat; // set on the summary of repeats held back by dedup
    // Raised by a detector while it handled another detector's alert
    // (VIGIL_KIND_ALERT_RAISED): not handed on to detectors again. Not rendered.
    bool answers_raised_alert = false;
};

// "info", "low", "medium", "high", "critical"; "unknown" for a value outside the enum.
using vigil::severity_name; // the SDK's, which outputs use too

// The alert as one line of JSON, without a newline. See alert_json.cpp for the shape.
std::string to_json(const Alert &alert);

// Copies what a plugin passed through the ABI: rule, severity, summary,
// tactics, techniques, evidence and dedup key. Missing or NULL strings become
// empty; evidence of an unknown type is skipped. time, process, container and
// k8s are left for the caller to fill in.
Alert alert_from_request(const vigil_alert_request &request, std::string_view plugin_name);

} // namespace vigil::alerts
