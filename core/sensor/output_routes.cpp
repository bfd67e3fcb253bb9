#include "core/sensor/output_routes.hpp"

namespace vigil::sensor {

alerts::Route route_with_overrides(alerts::Route route, const config::RouteOverrides &overrides)
{
    if (overrides.min_severity) {
        route.min_severity = *overrides.min_severity;
    }
    if (overrides.tactics) {
        route.tactics = *overrides.tactics;
    }
    if (overrides.exclude_tactics) {
        route.exclude_tactics = *overrides.exclude_tactics;
    }
    if (overrides.rules) {
        route.rules = GlobList(*overrides.rules);
    }
    if (overrides.exclude_rules) {
        route.exclude_rules = GlobList(*overrides.exclude_rules);
    }
    return route;
}

} // namespace vigil::sensor
