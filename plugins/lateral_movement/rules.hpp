// SPDX-License-Identifier: Apache-2.0
// The lateral_movement plugin's rules: their ids, severities and MITRE
// ATT&CK mapping (README.md says why each), and which rule a connect's
// destination falls under.
#pragma once

#include <bitset>
#include <optional>
#include <span>
#include <string_view>

#include <vigil/plugin_abi.h>
#include <vigil/rule_table.hpp>

#include "endpoints.hpp"

namespace vigil_lateral_movement {

enum class Rule {
    token_read,
    api_server_connect,
    kubelet_connect,
    etcd_connect,
    metadata_connect,
    token_then_api_connect,
};
inline constexpr std::size_t rule_count = 6;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "lateral_movement.<name>"
    vigil_severity severity;
    std::span<const vigil_attack_ref> tactics;
    std::span<const vigil_attack_ref> techniques;
};

// Every rule's row, in the order of the enum: rule_table.at(rule), rule_table.find(id).
extern const vigil::RuleTable<RuleInfo, rule_count> rule_table;

// Every tactic and technique some rule can carry, for the descriptor.
std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

// The rule of a connect to @destination.
Rule connect_rule(Destination destination);

} // namespace vigil_lateral_movement
