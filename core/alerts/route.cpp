// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/route.hpp"

#include <algorithm>

namespace vigil::alerts {
namespace {

bool carries_any(const Alert &alert, const std::vector<std::string> &tactic_ids)
{
    return std::ranges::any_of(alert.tactics, [&](const AttackRef &tactic) {
        return std::ranges::find(tactic_ids, tactic.id) != tactic_ids.end();
    });
}

void append_list(std::string &text, const char *label, const std::vector<std::string> &items)
{
    if (items.empty()) {
        return;
    }
    text += text.empty() ? "" : ", ";
    text += label;
    for (const auto &item : items) {
        text += " " + item;
    }
}

} // namespace

bool Route::accepts(const Alert &alert) const
{
    if (alert.severity < min_severity) {
        return false;
    }
    if (!tactics.empty() && !carries_any(alert, tactics)) {
        return false;
    }
    if (carries_any(alert, exclude_tactics)) {
        return false;
    }
    if (!rules.empty() && !rules.matches(alert.rule)) {
        return false;
    }
    return !exclude_rules.matches(alert.rule);
}

std::string Route::describe() const
{
    std::string text;
    if (min_severity > VIGIL_SEVERITY_INFO) {
        text += "severity >= " + std::string(severity_name(min_severity));
    }
    append_list(text, "tactics", tactics);
    append_list(text, "not tactics", exclude_tactics);
    append_list(text, "rules", rules.patterns());
    append_list(text, "not rules", exclude_rules.patterns());
    return text.empty() ? "every alert" : text;
}

Route route_with_overrides(Route route, const config::RouteOverrides &overrides)
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

} // namespace vigil::alerts
