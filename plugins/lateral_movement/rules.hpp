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

#include "endpoints.hpp"

namespace lateral_plugin {

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

const RuleInfo &rule_info(Rule rule);
std::span<const RuleInfo> all_rules();
std::optional<Rule> rule_by_id(std::string_view id);

// Every tactic and technique some rule can carry, for the descriptor.
std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

// The rule of a connect to @destination.
Rule connect_rule(Destination destination);

using RuleSet = std::bitset<rule_count>;
inline bool contains(const RuleSet &rules, Rule rule)
{
    return rules.test(static_cast<std::size_t>(rule));
}

} // namespace lateral_plugin
