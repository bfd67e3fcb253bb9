// SPDX-License-Identifier: Apache-2.0
// An alert another detector raised, for FakeHost::deliver_alert (ABI 1.5),
// with owned strings (every one "" unless the test sets it, as the sensor
// passes them), so a detector test states only the fields its rule looks at.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

struct FakeRaisedAlert {
    uint32_t severity = VIGIL_SEVERITY_HIGH;
    std::string rule = "other.finding";
    std::string plugin = "other";
    std::string summary = "something happened";
    uint64_t time_unix_ns = 0;
    std::vector<std::pair<std::string, std::string>> tactics;    // (id, name)
    std::vector<std::pair<std::string, std::string>> techniques; // (id, name)
    uint32_t pid = 0;
    std::string exe;
    std::string container_id;
    std::string pod_uid;
    std::string pod_namespace;
    std::string pod_name;
    std::string service_account;
    std::string node = "node-1";
    std::vector<std::pair<std::string, std::string>> evidence; // string fields only
    std::string finding_key;

    // The ABI view, pointing into this object: valid while it lives unchanged.
    vigil_raised_alert view() const
    {
        tactic_refs_ = refs(tactics);
        technique_refs_ = refs(techniques);
        evidence_fields_.clear();
        for (const auto &[key, value] : evidence) {
            vigil_evidence_field field{};
            field.struct_size = sizeof(field);
            field.key = key.c_str();
            field.type = VIGIL_EVIDENCE_STRING;
            field.string_value = value.c_str();
            evidence_fields_.push_back(field);
        }
        vigil_raised_alert alert{};
        alert.struct_size = sizeof(alert);
        alert.severity = severity;
        alert.rule = rule.c_str();
        alert.plugin = plugin.c_str();
        alert.summary = summary.c_str();
        alert.time_unix_ns = time_unix_ns;
        alert.tactics = tactic_refs_.data();
        alert.tactic_count = static_cast<uint32_t>(tactic_refs_.size());
        alert.techniques = technique_refs_.data();
        alert.technique_count = static_cast<uint32_t>(technique_refs_.size());
        alert.pid = pid;
        alert.exe = exe.c_str();
        alert.container_id = container_id.c_str();
        alert.pod_uid = pod_uid.c_str();
        alert.pod_namespace = pod_namespace.c_str();
        alert.pod_name = pod_name.c_str();
        alert.service_account = service_account.c_str();
        alert.node = node.c_str();
        alert.evidence = evidence_fields_.data();
        alert.evidence_count = static_cast<uint32_t>(evidence_fields_.size());
        alert.finding_key = finding_key.c_str();
        return alert;
    }

private:
    static std::vector<vigil_attack_ref> refs(const std::vector<std::pair<std::string, std::string>> &pairs)
    {
        std::vector<vigil_attack_ref> result;
        for (const auto &[id, name] : pairs) {
            result.push_back(vigil_attack_ref{sizeof(vigil_attack_ref), id.c_str(), name.c_str()});
        }
        return result;
    }

    mutable std::vector<vigil_attack_ref> tactic_refs_;
    mutable std::vector<vigil_attack_ref> technique_refs_;
    mutable std::vector<vigil_evidence_field> evidence_fields_;
};

} // namespace vigil::testing
