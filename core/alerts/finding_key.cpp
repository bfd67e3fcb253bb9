// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/finding_key.hpp"

namespace vigil::alerts {

std::string finding_key(const Alert &alert)
{
    // A container id is unique across nodes; a host process is only told apart by its node.
    std::string_view scope = alert.container ? std::string_view(alert.container->id) : std::string_view(alert.k8s.node);
    std::string_view finding = alert.dedup_key;
    if (finding.empty() && alert.process) {
        finding = alert.process->exe;
    }
    std::string key;
    key.reserve(alert.rule.size() + scope.size() + finding.size() + 2);
    key.append(alert.rule).append(1, '/').append(scope).append(1, '/').append(finding);
    return key;
}

} // namespace vigil::alerts
