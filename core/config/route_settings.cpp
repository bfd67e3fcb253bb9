// SPDX-License-Identifier: Apache-2.0
#include "core/config/route_settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "core/config/closest_name.hpp"
#include "core/config/config_value.hpp"

namespace vigil::config {
namespace {

constexpr std::array<std::pair<std::string_view, vigil_severity>, 5> severity_names{{
    {"info", VIGIL_SEVERITY_INFO},
    {"low", VIGIL_SEVERITY_LOW},
    {"medium", VIGIL_SEVERITY_MEDIUM},
    {"high", VIGIL_SEVERITY_HIGH},
    {"critical", VIGIL_SEVERITY_CRITICAL},
}};

bool is_tactic_id(std::string_view id)
{
    return id.size() == 6 && id.starts_with("TA") &&
           std::all_of(id.begin() + 2, id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// A list of strings, each accepted by @valid (which names what it expects), or an error.
std::optional<std::vector<std::string>> read_strings(const toml::node &node, const std::string &path,
                                                     bool (*valid)(std::string_view), std::string_view expected,
                                                     ErrorCollector &errors)
{
    const auto *array = node.as_array();
    if (array == nullptr) {
        errors.add(node.source(), path, type_mismatch("a list of strings", node));
        return std::nullopt;
    }
    std::vector<std::string> values;
    bool ok = true;
    for (const auto &item : *array) {
        const auto *text = item.as_string();
        if (text == nullptr) {
            errors.add(item.source(), path, type_mismatch("a string", item));
            ok = false;
        } else if (valid != nullptr && !valid(text->get())) {
            errors.add(item.source(), path, "'" + text->get() + "' is not " + std::string(expected));
            ok = false;
        } else {
            values.push_back(text->get());
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return values;
}

bool is_rule_glob(std::string_view glob)
{
    return !glob.empty();
}

} // namespace

std::optional<vigil_severity> severity_from_name(std::string_view name)
{
    for (const auto &[known, severity] : severity_names) {
        if (known == name) {
            return severity;
        }
    }
    return std::nullopt;
}

void read_route(const toml::node &node, const std::string &path, RouteOverrides &route, ErrorCollector &errors)
{
    const auto *table = node.as_table();
    if (table == nullptr) {
        errors.add(node.source(), path, type_mismatch("a table", node));
        return;
    }
    for (auto &&[key, value] : *table) {
        const std::string name(key.str());
        const std::string key_path = path + "." + name;
        if (name == "min_severity") {
            const auto *text = value.as_string();
            auto severity = text != nullptr ? severity_from_name(text->get()) : std::nullopt;
            if (!severity) {
                errors.add(value.source(), key_path,
                           text == nullptr ? type_mismatch("a string", value)
                                           : "'" + text->get() + "' is not one of info, low, medium, high, critical");
            } else {
                route.min_severity = severity;
            }
        } else if (name == "tactics" || name == "exclude_tactics") {
            auto ids = read_strings(value, key_path, is_tactic_id, "an ATT&CK tactic id like TA0004", errors);
            (name == "tactics" ? route.tactics : route.exclude_tactics) = std::move(ids);
        } else if (name == "rules" || name == "exclude_rules") {
            auto globs = read_strings(value, key_path, is_rule_glob, "a rule id or glob", errors);
            (name == "rules" ? route.rules : route.exclude_rules) = std::move(globs);
        } else {
            auto suggestion = did_you_mean(name, route_keys);
            errors.add(key.source(), key_path,
                       "unknown route key" + (!suggestion.empty() ? suggestion
                                                                  : " (a route has min_severity, tactics, "
                                                                    "exclude_tactics, rules and exclude_rules)"));
        }
    }
}

} // namespace vigil::config
