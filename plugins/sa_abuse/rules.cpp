// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <array>

#include <vigil/attack.hpp>

namespace vigil_sa_abuse {
namespace {

namespace attack = vigil::attack;

// Running a command in someone else's container through the API server.
constexpr std::array exec_tactics{attack::TA0002};
constexpr std::array exec_techniques{attack::T1609};
// Granting roles keeps access (Persistence) and widens it (Privilege Escalation).
constexpr std::array rbac_tactics{attack::TA0003, attack::TA0004};
constexpr std::array rbac_techniques{attack::T1098_006};
// Asking "what may I do?" and reading what is there: Discovery.
constexpr std::array discovery_tactics{attack::TA0007};
constexpr std::array discovery_techniques{attack::T1613};
// A pod's token presented from elsewhere: the token was taken and is being replayed.
constexpr std::array token_tactics{attack::TA0006};
constexpr std::array token_techniques{attack::T1528, attack::T1550_001};
// A valid account doing what it never did: a default account put to other use.
// The alert adds TA0007 and T1613 for reads of secrets or configmaps in another namespace.
constexpr std::array unusual_tactics{attack::TA0004};
constexpr std::array unusual_techniques{attack::T1078_001};

// A chain carries the union of its two sides' mapping, known only when it is raised.
constexpr std::span<const vigil_attack_ref> chain_refs{};

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::pods_exec, "sa_abuse.pods_exec", VIGIL_SEVERITY_MEDIUM, exec_tactics, exec_techniques},
    {Rule::pods_exec_process, "sa_abuse.pods_exec_process", VIGIL_SEVERITY_MEDIUM, exec_tactics, exec_techniques},
    {Rule::rbac_change, "sa_abuse.rbac_change", VIGIL_SEVERITY_HIGH, rbac_tactics, rbac_techniques},
    {Rule::access_review_burst, "sa_abuse.access_review_burst", VIGIL_SEVERITY_MEDIUM, discovery_tactics,
     discovery_techniques},
    {Rule::secret_enumeration, "sa_abuse.secret_enumeration", VIGIL_SEVERITY_HIGH, discovery_tactics,
     discovery_techniques},
    {Rule::token_foreign_source, "sa_abuse.token_foreign_source", VIGIL_SEVERITY_HIGH, token_tactics, token_techniques},
    {Rule::unusual_call, "sa_abuse.unusual_call", VIGIL_SEVERITY_LOW, unusual_tactics, unusual_techniques},
    // A pod broken into and its account abusing the API: critical, the highest.
    {Rule::chain, "sa_abuse.chain", VIGIL_SEVERITY_CRITICAL, chain_refs, chain_refs},
}};

// The audit-side rules' own, and those of the container-side detectors the
// chain joins (escape, lateral_movement, injection), which it passes on.
constexpr std::array every_tactic{attack::TA0002, attack::TA0003, attack::TA0004, attack::TA0005,
                                  attack::TA0006, attack::TA0007, attack::TA0008};
constexpr std::array every_technique{
    attack::T1055,     attack::T1055_008, attack::T1055_009, attack::T1078_001, attack::T1098_006,
    attack::T1528,     attack::T1547_006, attack::T1550_001, attack::T1552_005, attack::T1552_007,
    attack::T1574_006, attack::T1609,     attack::T1611,     attack::T1613,     attack::T1620,
};

} // namespace

constexpr vigil::RuleTable<RuleInfo, rule_count> rule_table{rules};
static_assert(rule_table.in_enum_order(), "the rows must follow the order of enum Rule");

std::span<const vigil_attack_ref> all_tactics()
{
    return every_tactic;
}

std::span<const vigil_attack_ref> all_techniques()
{
    return every_technique;
}

} // namespace vigil_sa_abuse
