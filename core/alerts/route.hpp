// SPDX-License-Identifier: Apache-2.0
// Which alerts one output receives: a minimum severity, tactics to take or
// leave, rule globs to take or leave. The output plugin proposes a default
// (a pager takes only what should wake someone); the operator's
// [outputs.<name>.route] table changes it key by key.
#pragma once

#include <string>
#include <vector>

#include <vigil/glob_list.hpp>
#include <vigil/plugin_abi.h>

#include "core/alerts/alert.hpp"
#include "core/config/route_settings.hpp"

namespace vigil::alerts {

struct Route {
    vigil_severity min_severity = VIGIL_SEVERITY_INFO;
    std::vector<std::string> tactics;         // take an alert with one of these; empty: any (or none)
    std::vector<std::string> exclude_tactics; // leave an alert with any of these
    GlobList rules;                           // take an alert whose rule matches one; empty: any
    GlobList exclude_rules;                   // leave an alert whose rule matches one

    bool accepts(const Alert &alert) const;
    // One line for the log: "severity >= high, tactics TA0004 TA0008".
    std::string describe() const;
};

// The route an output runs with: its plugin's default @route, changed key by
// key by the operator's [outputs.<name>.route] table.
Route route_with_overrides(Route route, const config::RouteOverrides &overrides);

} // namespace vigil::alerts
