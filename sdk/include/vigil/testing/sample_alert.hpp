// SPDX-License-Identifier: Apache-2.0
// A vigil_alert as the sensor hands one to an output, with storage for its
// strings: for the format tests of output plugins. Change a member, then take
// view() again.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/plugin_abi.h>

namespace vigil::testing {

struct SampleAlert {
    std::string json =
        R"({"time":"2024-05-01T12:00:00.123456789Z","rule":"injection.ptrace_attach","plugin":"injection",)"
        R"("severity":"high","summary":"ptrace attach to pid 42 by /usr/bin/gdb",)"
        R"("mitre":{"tactics":[{"id":"TA0005","name":"Defense Evasion"},{"id":"TA0004","name":"Privilege Escalation"}],)"
        R"("techniques":[{"id":"T1055.008","name":"Ptrace System Calls"}]},)"
        R"("process":{"pid":7,"tid":7,"exe":"/usr/bin/gdb","cmdline":"gdb -p 42","uid":0,"gid":0,"ancestry":[]},)"
        R"("container":{"id":"c0ffee","runtime":"containerd"},)"
        R"("k8s":{"namespace":"payments","pod":"api-7d9f","pod_uid":"1234-abcd","node":"node-1"},"evidence":{"target_pid":42}})";
    std::string rule = "injection.ptrace_attach";
    std::string summary = "ptrace attach to pid 42 by /usr/bin/gdb";
    std::string container = "c0ffee";
    std::string pod_uid = "1234-abcd";
    std::string node = "node-1";
    std::string exe = "/usr/bin/gdb";
    // What the sensor computes (rule/container/detector's dedup key); "" plays an ABI 1.2 host.
    std::string finding_key = "injection.ptrace_attach/c0ffee/7->42";
    std::vector<vigil_attack_ref> tactics{{sizeof(vigil_attack_ref), "TA0005", "Defense Evasion"},
                                          {sizeof(vigil_attack_ref), "TA0004", "Privilege Escalation"}};
    std::vector<vigil_attack_ref> techniques{{sizeof(vigil_attack_ref), "T1055.008", "Ptrace System Calls"}};
    bool in_container = true;
    bool with_pod = true;
    uint32_t severity = VIGIL_SEVERITY_HIGH;
    uint64_t repeat_count = 0;
    uint32_t pid = 7;

    // 2024-05-01T12:00:00.123456789Z
    static constexpr uint64_t time_ns = 1714564800123456789ULL;
    uint64_t time_unix_ns = time_ns;

    // The size of the vigil_alert a 1.2 host handed out (unchanged since 1.0):
    // it ended with repeat_count, and finding_key (1.3) lies beyond it.
    static constexpr uint32_t abi_1_2_size = VIGIL_ALERT_SIZE_1_0;

    vigil_alert view() const
    {
        vigil_alert alert{};
        alert.struct_size = sizeof(alert);
        alert.json = json.c_str();
        alert.json_size = json.size();
        alert.rule = rule.c_str();
        alert.plugin = "injection";
        alert.summary = summary.c_str();
        alert.severity = severity;
        alert.time_unix_ns = time_unix_ns;
        alert.tactics = tactics.data();
        alert.tactic_count = static_cast<uint32_t>(tactics.size());
        alert.techniques = techniques.data();
        alert.technique_count = static_cast<uint32_t>(techniques.size());
        alert.pid = pid;
        alert.exe = exe.c_str();
        alert.container_id = in_container ? container.c_str() : nullptr;
        alert.pod_uid = with_pod ? pod_uid.c_str() : nullptr;
        alert.node = node.c_str();
        alert.repeat_count = repeat_count;
        if (finding_key.empty()) {
            alert.struct_size = abi_1_2_size; // the view as a 1.2 host had it
        } else {
            alert.finding_key = finding_key.c_str();
        }
        return alert;
    }
};

// What a reader of the 1.2 view sees: repeat_count, and no finding_key.
static_assert([] {
    vigil_alert alert{};
    alert.struct_size = SampleAlert::abi_1_2_size;
    return VIGIL_HAS_FIELD(&alert, vigil_alert, repeat_count) && !VIGIL_HAS_FIELD(&alert, vigil_alert, finding_key);
}());

} // namespace vigil::testing
