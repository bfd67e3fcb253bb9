// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <array>

#include <vigil/attack.hpp>

namespace vigil_lateral_movement {
namespace {

namespace attack = vigil::attack;

// A token is a credential: reading it is Credential Access.
constexpr std::array credential_tactics{attack::TA0006};
constexpr std::array container_api_techniques{attack::T1552_007};
// Talking to a cluster API (API server, kubelet, etcd) is where a stolen
// credential is used and where the cluster is enumerated.
constexpr std::array cluster_api_tactics{attack::TA0006, attack::TA0007};
constexpr std::array cluster_api_techniques{attack::T1552_007, attack::T1613};
constexpr std::array metadata_techniques{attack::T1552_005};
// A token read and then presented to the API server by the same process tree:
// the pod's identity taken and used to reach beyond the pod.
constexpr std::array token_use_tactics{attack::TA0006, attack::TA0007, attack::TA0008};
constexpr std::array token_use_techniques{attack::T1552_007, attack::T1613, attack::T1550_001};

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::token_read, "lateral_movement.token_read", VIGIL_SEVERITY_MEDIUM, credential_tactics,
     container_api_techniques},
    {Rule::api_server_connect, "lateral_movement.api_server_connect", VIGIL_SEVERITY_MEDIUM, cluster_api_tactics,
     cluster_api_techniques},
    {Rule::kubelet_connect, "lateral_movement.kubelet_connect", VIGIL_SEVERITY_HIGH, cluster_api_tactics,
     cluster_api_techniques},
    {Rule::etcd_connect, "lateral_movement.etcd_connect", VIGIL_SEVERITY_HIGH, cluster_api_tactics,
     cluster_api_techniques},
    {Rule::metadata_connect, "lateral_movement.metadata_connect", VIGIL_SEVERITY_MEDIUM, credential_tactics,
     metadata_techniques},
    {Rule::token_then_api_connect, "lateral_movement.token_then_api_connect", VIGIL_SEVERITY_HIGH, token_use_tactics,
     token_use_techniques},
}};

constexpr std::array every_tactic{attack::TA0006, attack::TA0007, attack::TA0008};
constexpr std::array every_technique{attack::T1550_001, attack::T1552_005, attack::T1552_007, attack::T1613};

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

Rule connect_rule(Destination destination)
{
    switch (destination) {
    case Destination::api_server:
        return Rule::api_server_connect;
    case Destination::kubelet:
        return Rule::kubelet_connect;
    case Destination::etcd:
        return Rule::etcd_connect;
    case Destination::metadata:
        return Rule::metadata_connect;
    }
    return Rule::api_server_connect;
}

} // namespace vigil_lateral_movement
