// SPDX-License-Identifier: Apache-2.0
// What a plugin test puts in FakeHost's tables (processes, containers), and
// what FakeHost records of the plugin's calls (alerts, log lines).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

// ---------------------------------------------------------------------------
// The tables a test fills, and what the plugin did
// ---------------------------------------------------------------------------

// A process of the fake process table; find_process and events resolve to it by tgid.
struct FakeProcess {
    uint32_t tgid = 0;
    uint32_t ns_tgid = 0; // 0: the same as tgid (a host process)
    uint32_t parent_tgid = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t start_ns = 0;
    uint64_t cgroup_id = 0; // a container's cgroup makes it a container process
    uint32_t mnt_ns = 0;
    uint32_t pid_ns = 0;
    uint32_t net_ns = 0;
    bool exited = false;
    std::string exe;
    std::string cmdline;
    std::string comm; // for event headers; "" takes the exe's base name
};

struct FakeContainer {
    uint64_t cgroup_id = 0;
    std::string id = std::string(64, 'a');
    std::string runtime = "containerd";
    std::string pod_uid;
    std::string cgroup_path;
};

// An alert the plugin raised, deep-copied.
struct RecordedAlert {
    std::string rule;
    vigil_severity severity = VIGIL_SEVERITY_INFO;
    std::string summary;
    std::vector<std::string> tactics;    // ids, in the order given
    std::vector<std::string> techniques; // ids
    // Every evidence value as text: strings as they are, numbers in decimal,
    // booleans "true"/"false", lists as ["a", "b"]. Lists also in evidence_lists.
    std::map<std::string, std::string> evidence;
    std::map<std::string, uint32_t> evidence_types; // enum vigil_evidence_type
    std::map<std::string, std::vector<std::string>> evidence_lists;
    std::optional<std::string> dedup_key;
    bool has_event = false;    // raised from an event (process and container come from it)
    uint32_t event_kind = 0;
    uint32_t event_tgid = 0;   // the header's tgid of that event
    uint32_t subject_tgid = 0; // without an event

    bool has_evidence(const std::string &key) const { return evidence.contains(key); }
    const std::string &evidence_at(const std::string &key) const
    {
        auto found = evidence.find(key);
        if (found == evidence.end()) {
            throw std::out_of_range("alert " + rule + " has no evidence " + key);
        }
        return found->second;
    }
};

struct RecordedLog {
    uint32_t level = 0; // enum vigil_log_level
    std::string message;
};

} // namespace vigil::testing
