// SPDX-License-Identifier: Apache-2.0
// A vigil_alert as the sensor hands it to an output, with storage of its own.
#pragma once

#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace splunk_hec_test {

struct TestAlert {
    std::string json = R"({"rule":"injection.ptrace_attach","k8s":{"node":"node-1"}})";
    std::string rule = "injection.ptrace_attach";
    std::string summary = "a process attached to another with ptrace";
    std::string exe = "/usr/bin/gdb";
    std::string node = "node-1";
    std::string container_id;
    std::string pod_uid;
    uint32_t severity = VIGIL_SEVERITY_HIGH;
    uint64_t time_unix_ns = 1700000000123456789ull;
    std::vector<vigil_attack_ref> tactics{{sizeof(vigil_attack_ref), "TA0005", "Defense Evasion"},
                                          {sizeof(vigil_attack_ref), "TA0004", "Privilege Escalation"}};
    std::vector<vigil_attack_ref> techniques{{sizeof(vigil_attack_ref), "T1055.008", "Ptrace System Calls"}};

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
        alert.pid = 4242;
        alert.exe = exe.c_str();
        alert.container_id = container_id.empty() ? nullptr : container_id.c_str();
        alert.pod_uid = pod_uid.empty() ? nullptr : pod_uid.c_str();
        alert.node = node.c_str();
        return alert;
    }
};

} // namespace splunk_hec_test
