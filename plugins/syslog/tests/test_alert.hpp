// A vigil_alert as an output receives it, with the strings it points to.
#pragma once

#include <string>

#include <vigil/plugin_abi.h>

struct TestAlert {
    std::string json = R"({"rule":"injection.ptrace_attach","severity":"high"})";
    std::string rule = "injection.ptrace_attach";
    std::string summary = "ptrace attach by /usr/bin/gdb";
    std::string exe = "/usr/bin/gdb";
    std::string container = "c0ffee";
    std::string pod = "0d6f5c1e-2b7a-4a8e-9d3c-1f2e3d4c5b6a";
    std::string node = "node-1";
    vigil_attack_ref tactics[2] = {{sizeof(vigil_attack_ref), "TA0005", "Defense Evasion"},
                                   {sizeof(vigil_attack_ref), "TA0004", "Privilege Escalation"}};
    vigil_attack_ref techniques[1] = {{sizeof(vigil_attack_ref), "T1055.008", "Ptrace System Calls"}};
    bool in_container = true;
    uint32_t severity = VIGIL_SEVERITY_HIGH;
    uint64_t time_unix_ns = 1700000000123456789ULL; // 2023-11-14T22:13:20.123456789Z
    uint64_t repeat_count = 0;

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
        alert.tactics = tactics;
        alert.tactic_count = 2;
        alert.techniques = techniques;
        alert.technique_count = 1;
        alert.pid = 4242;
        alert.exe = exe.c_str();
        alert.container_id = in_container ? container.c_str() : nullptr;
        alert.pod_uid = in_container ? pod.c_str() : nullptr;
        alert.node = node.c_str();
        alert.repeat_count = repeat_count;
        return alert;
    }
};
