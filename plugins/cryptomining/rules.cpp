// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <array>

#include <vigil/attack.hpp>

namespace vigil_cryptomining {
namespace {

namespace attack = vigil::attack;

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::miner_exec, "cryptomining.miner_exec", VIGIL_SEVERITY_HIGH},
    // A port alone is weak evidence: 3333 or 5555 are also development servers' ports.
    {Rule::pool_connect, "cryptomining.pool_connect", VIGIL_SEVERITY_MEDIUM},
    {Rule::pool_dns, "cryptomining.pool_dns", VIGIL_SEVERITY_HIGH},
    // Busy is not malicious: batch jobs, encoders and builds are busy too.
    {Rule::sustained_cpu, "cryptomining.sustained_cpu", VIGIL_SEVERITY_MEDIUM},
}};

constexpr std::array tactics{attack::TA0040};
constexpr std::array techniques{attack::T1496_001, attack::T1496};

} // namespace

constexpr vigil::RuleTable<RuleInfo, rule_count> rule_table{rules};
static_assert(rule_table.in_enum_order(), "the rows must follow the order of enum Rule");

std::span<const vigil_attack_ref> all_tactics()
{
    return tactics;
}

std::span<const vigil_attack_ref> all_techniques()
{
    return techniques;
}

} // namespace vigil_cryptomining
