// SPDX-License-Identifier: Apache-2.0
// An audit-side alert as a rule builds it: the vigil::Alert to emit, and a
// copy of its rule, summary, ATT&CK and evidence as the audit side of
// sa_abuse.chain. The copy is needed because the Alert only references its
// strings, which point into the audit event, and a chain can be completed
// by a container-side finding long after that event is gone. Building both
// in one place records every audit-side rule without code per rule.
#pragma once

#include <cstdint>
#include <span>

#include <vigil/alert.hpp>

#include "chain.hpp"
#include "rules.hpp"

namespace vigil_sa_abuse {

class AuditAlert {
public:
    AuditAlert(const RuleInfo &row, vigil_severity severity);

    __attribute__((format(printf, 2, 3))) AuditAlert &summary(const char *format, ...);
    AuditAlert &attack(std::span<const vigil_attack_ref> tactics, std::span<const vigil_attack_ref> techniques);
    AuditAlert &tactic(const vigil_attack_ref &tactic);
    AuditAlert &technique(const vigil_attack_ref &technique);

    // As vigil::Alert's: @value must outlive emit(); the copy owns its own.
    AuditAlert &evidence(const char *key, const char *value);
    AuditAlert &evidence(const char *key, int64_t value);
    AuditAlert &evidence(const char *key, uint64_t value);
    AuditAlert &evidence_bool(const char *key, bool value);
    AuditAlert &evidence_list(const char *key, const char *const *values, uint32_t count);

    vigil::Alert &alert() { return alert_; }
    // Rule, summary, ATT&CK and evidence; the raiser adds the pod, account and time.
    Finding &finding() { return finding_; }

private:
    vigil::Alert alert_;
    Finding finding_;
};

} // namespace vigil_sa_abuse
