// SPDX-License-Identifier: Apache-2.0
#include "chain_finding.hpp"

#include <string>
#include <utility>
#include <vector>

#include <vigil/abi_support.hpp>

namespace vigil_sa_abuse {
namespace {

// The sensor passes "" for what an alert does not have; NULL is read the same way.
std::string text(const char *value)
{
    return value != nullptr ? std::string(value) : std::string();
}

std::vector<std::string> ids(const vigil_attack_ref *refs, uint32_t count)
{
    std::vector<std::string> out;
    if (refs == nullptr || count == 0 || refs->struct_size < sizeof(uint32_t)) {
        return out;
    }
    for (uint32_t index = 0; index < count; ++index) {
        auto ref = vigil::abi_copy(vigil::abi_array_at(refs, index));
        if (ref.id != nullptr && ref.id[0] != '\0') {
            out.emplace_back(ref.id);
        }
    }
    return out;
}

} // namespace

bool names_a_pod(const vigil_raised_alert &alert)
{
    auto known = [](const char *value) { return value != nullptr && value[0] != '\0'; };
    return known(alert.pod_uid) || (known(alert.pod_namespace) && known(alert.service_account));
}

std::optional<CopiedEvidence> copy_evidence(const vigil_evidence_field &field)
{
    if (field.key == nullptr || field.key[0] == '\0') {
        return std::nullopt;
    }
    CopiedEvidence copy;
    copy.key = field.key;
    copy.type = static_cast<vigil_evidence_type>(field.type);
    switch (field.type) {
    case VIGIL_EVIDENCE_STRING:
        copy.text = text(field.string_value);
        break;
    case VIGIL_EVIDENCE_INTEGER:
        copy.integer = field.integer_value;
        break;
    case VIGIL_EVIDENCE_BOOL:
        copy.integer = field.integer_value != 0 ? 1 : 0;
        break;
    case VIGIL_EVIDENCE_UNSIGNED:
        copy.unsigned_value = field.unsigned_value;
        break;
    case VIGIL_EVIDENCE_STRING_LIST:
        for (uint32_t index = 0; field.list_values != nullptr && index < field.list_count; ++index) {
            copy.list.push_back(text(field.list_values[index]));
        }
        break;
    default:
        return std::nullopt;
    }
    return copy;
}

Finding container_finding(const vigil_raised_alert &alert, uint64_t now_ns)
{
    Finding finding;
    finding.at_ns = now_ns;
    finding.rule = text(alert.rule);
    finding.plugin = text(alert.plugin);
    finding.summary = text(alert.summary);
    finding.tactics = ids(alert.tactics, alert.tactic_count);
    finding.techniques = ids(alert.techniques, alert.technique_count);
    finding.pod_uid = text(alert.pod_uid);
    finding.pod_namespace = text(alert.pod_namespace);
    finding.pod_name = text(alert.pod_name);
    auto account = text(alert.service_account);
    if (!finding.pod_namespace.empty() && !account.empty()) {
        finding.account = finding.pod_namespace + ":" + account; // a pod's account lives in its namespace
    }
    finding.container_id = text(alert.container_id);
    finding.exe = text(alert.exe);
    finding.finding_key = text(alert.finding_key);
    finding.pid = alert.pid;
    // Stepped by the sensor's struct_size, which may be a newer, larger one.
    if (alert.evidence != nullptr && alert.evidence_count > 0 && alert.evidence->struct_size >= sizeof(uint32_t)) {
        for (uint32_t index = 0; index < alert.evidence_count; ++index) {
            if (auto copy = copy_evidence(vigil::abi_copy(vigil::abi_array_at(alert.evidence, index)))) {
                finding.evidence.push_back(std::move(*copy));
            }
        }
    }
    return finding;
}

} // namespace vigil_sa_abuse
