// SPDX-License-Identifier: Apache-2.0
// What makes two alerts the same finding. The deduplicator holds back repeats
// by it, and outputs get it (vigil_alert.finding_key) so a receiver that
// merges repeats, such as a paging service's incident key, merges the same ones.
#pragma once

#include <string>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {

// "<rule>/<container id>/<finding>" or, for a host process,
// "<rule>/<node>/<finding>", where <finding> is the detector's dedup key, or
// the process's executable when the detector gave none. Rule ids are dotted
// names, container ids hex and node names DNS names, none with a '/', so only
// the last part may hold one and the parts cannot run into each other.
std::string finding_key(const Alert &alert);

} // namespace vigil::alerts
