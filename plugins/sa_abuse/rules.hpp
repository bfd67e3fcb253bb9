// SPDX-License-Identifier: Apache-2.0
// The sa_abuse plugin's rules: their ids, severities and MITRE ATT&CK mapping
// (README.md says why each).
#pragma once

#include <cstddef>
#include <span>

#include <vigil/plugin_abi.h>
#include <vigil/rule_table.hpp>

namespace vigil_sa_abuse {

enum class Rule {
    pods_exec,
    pods_exec_process,
    rbac_change,
    access_review_burst,
    secret_enumeration,
    token_foreign_source,
    unusual_call,
    chain,
};
inline constexpr std::size_t rule_count = 8;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "sa_abuse.<name>"
    vigil_severity severity;
    std::span<const vigil_attack_ref> tactics;
    std::span<const vigil_attack_ref> techniques;
};

// Every rule's row, in the order of the enum.
extern const vigil::RuleTable<RuleInfo, rule_count> rule_table;

// Every tactic and technique some alert can carry, for the descriptor: the
// chain's include those of the container-side detectors it joins.
std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

} // namespace vigil_sa_abuse
