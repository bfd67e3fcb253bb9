// SPDX-License-Identifier: Apache-2.0
// The cryptomining plugin's rules: their ids, severities and MITRE ATT&CK
// mapping. Every alert carries T1496.001 (Compute Hijacking, where ATT&CK
// files cryptocurrency mining since v15) and its parent T1496, so that a
// search by either id finds it.
#pragma once

#include <bitset>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include <vigil/plugin_abi.h>
#include <vigil/rule_table.hpp>

namespace vigil_cryptomining {

enum class Rule {
    miner_exec,    // exec of a known miner, or of anything with pool URLs or miner flags
    pool_connect,  // connect() to a well-known pool port
    pool_dns,      // a DNS query for a pool domain
    sustained_cpu, // a process keeping a share of a core busy for a window
};
inline constexpr std::size_t rule_count = 4;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "cryptomining.<name>"
    vigil_severity severity;
};

// Every rule's row, in the order of the enum: rule_table.at(rule), rule_table.find(id).
extern const vigil::RuleTable<RuleInfo, rule_count> rule_table;

// The one tactic and two techniques every rule carries, for alerts and the descriptor.
std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

// Rules switched off by `disabled_rules`.
using RuleSwitches = vigil::RuleSwitches<Rule, rule_count>;

} // namespace vigil_cryptomining
