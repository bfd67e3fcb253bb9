// SPDX-License-Identifier: Apache-2.0
// What a detector does with a finding its rules made: raise it, hold it back
// because the configuration allows it (counted, so an operator can see how
// much an allow list hides), or drop it because its rule is switched off.
// The rules decide (a Judgement, from pure functions a test calls without a
// host); the detector acts on it (admit).
//
//   vigil::Judgement<Rule> judge(Rule rule, bool allowed, const Policy &policy)
//   {
//       return {rule, rule_table.at(rule).severity, vigil::disposition_of(policy.enabled(rule), allowed)};
//   }
//   if (auto judgement = judge(...); vigil::admit(judgement.disposition, allowed_counter)) { /* raise it */ }
#pragma once

#include <vigil/host.hpp>
#include <vigil/plugin_abi.h>

namespace vigil {

enum class Disposition {
    alert,    // raise it
    allowed,  // a finding the configuration allows
    disabled, // a finding of a rule switched off
};

// A rule's verdict on one finding: its rule, the severity it calls for, and what to do with it.
template <class Rule> struct Judgement {
    Rule rule;
    vigil_severity severity;
    Disposition disposition;
};

// The disposition of a finding of a rule that is @enabled (or switched off),
// which the configuration @allowed (or not). A switched-off rule wins: its
// findings are not counted as allowed.
constexpr Disposition disposition_of(bool enabled, bool allowed)
{
    return !enabled ? Disposition::disabled : allowed ? Disposition::allowed : Disposition::alert;
}

// True when a finding of @disposition should become an alert; adds the ones
// the configuration allows to @allowed.
inline bool admit(Disposition disposition, const Counter &allowed)
{
    switch (disposition) {
    case Disposition::alert:
        return true;
    case Disposition::allowed:
        allowed.add();
        return false;
    case Disposition::disabled:
        return false;
    }
    return false;
}

} // namespace vigil
