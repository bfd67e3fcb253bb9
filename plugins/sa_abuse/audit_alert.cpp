// SPDX-License-Identifier: Apache-2.0
#include "audit_alert.hpp"

#include <array>
#include <cstdarg>
#include <cstdio>
#include <utility>

namespace vigil_sa_abuse {

AuditAlert::AuditAlert(const RuleInfo &row, vigil_severity severity) : alert_(row.id, severity)
{
    finding_.rule = row.id;
    finding_.plugin = "sa_abuse";
}

AuditAlert &AuditAlert::summary(const char *format, ...)
{
    std::array<char, 512> text{}; // as much as vigil::Alert keeps
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(text.data(), text.size(), format, arguments);
    va_end(arguments);
    alert_.summary("%s", text.data());
    finding_.summary = text.data();
    return *this;
}

AuditAlert &AuditAlert::attack(std::span<const vigil_attack_ref> tactics, std::span<const vigil_attack_ref> techniques)
{
    for (const auto &ref : tactics) {
        tactic(ref);
    }
    for (const auto &ref : techniques) {
        technique(ref);
    }
    return *this;
}

AuditAlert &AuditAlert::tactic(const vigil_attack_ref &tactic)
{
    alert_.tactic(tactic);
    finding_.tactics.emplace_back(tactic.id);
    return *this;
}

AuditAlert &AuditAlert::technique(const vigil_attack_ref &technique)
{
    alert_.technique(technique);
    finding_.techniques.emplace_back(technique.id);
    return *this;
}

AuditAlert &AuditAlert::evidence(const char *key, const char *value)
{
    alert_.evidence(key, value);
    CopiedEvidence copy;
    copy.key = key;
    copy.type = VIGIL_EVIDENCE_STRING;
    copy.text = value != nullptr ? value : "";
    finding_.evidence.push_back(std::move(copy));
    return *this;
}

AuditAlert &AuditAlert::evidence(const char *key, int64_t value)
{
    alert_.evidence(key, value);
    CopiedEvidence copy;
    copy.key = key;
    copy.type = VIGIL_EVIDENCE_INTEGER;
    copy.integer = value;
    finding_.evidence.push_back(std::move(copy));
    return *this;
}

AuditAlert &AuditAlert::evidence(const char *key, uint64_t value)
{
    alert_.evidence(key, value);
    CopiedEvidence copy;
    copy.key = key;
    copy.type = VIGIL_EVIDENCE_UNSIGNED;
    copy.unsigned_value = value;
    finding_.evidence.push_back(std::move(copy));
    return *this;
}

AuditAlert &AuditAlert::evidence_bool(const char *key, bool value)
{
    alert_.evidence_bool(key, value);
    CopiedEvidence copy;
    copy.key = key;
    copy.type = VIGIL_EVIDENCE_BOOL;
    copy.integer = value ? 1 : 0;
    finding_.evidence.push_back(std::move(copy));
    return *this;
}

AuditAlert &AuditAlert::evidence_list(const char *key, const char *const *values, uint32_t count)
{
    alert_.evidence_list(key, values, count);
    CopiedEvidence copy;
    copy.key = key;
    copy.type = VIGIL_EVIDENCE_STRING_LIST;
    for (uint32_t index = 0; values != nullptr && index < count; ++index) {
        copy.list.emplace_back(values[index] != nullptr ? values[index] : "");
    }
    finding_.evidence.push_back(std::move(copy));
    return *this;
}

} // namespace vigil_sa_abuse
