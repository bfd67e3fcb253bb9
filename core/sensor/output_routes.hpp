// The route an output runs with: its plugin's default, changed key by key by
// the operator's [outputs.<name>.route] table.
#pragma once

#include "core/alerts/route.hpp"
#include "core/config/route_settings.hpp"

namespace vigil::sensor {

alerts::Route route_with_overrides(alerts::Route route, const config::RouteOverrides &overrides);

} // namespace vigil::sensor
