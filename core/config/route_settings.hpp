// SPDX-License-Identifier: Apache-2.0
// An output's [outputs.<name>.route] table: which alerts it receives. Each
// key present replaces the same part of the output plugin's default route;
// keys left out keep it. Read with the rest of the file, so that a mistake
// here stops the sensor at start with the line, like any other.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>
#include <vigil/plugin_abi.h>

#include "core/config/error_collector.hpp"

namespace vigil::config {

struct RouteOverrides {
    std::optional<vigil_severity> min_severity;
    std::optional<std::vector<std::string>> tactics; // ATT&CK tactic ids: "TA0004"
    std::optional<std::vector<std::string>> exclude_tactics;
    std::optional<std::vector<std::string>> rules; // rule id globs: "escape.*"
    std::optional<std::vector<std::string>> exclude_rules;

    bool operator==(const RouteOverrides &) const = default;
};

// The keys a route table may have, for messages and documentation.
inline constexpr std::string_view route_keys[] = {"min_severity", "tactics", "exclude_tactics", "rules",
                                                  "exclude_rules"};

// Reads @node (the value of an output table's `route` key) into @route; @path
// is "outputs.<name>.route", for messages.
void read_route(const toml::node &node, const std::string &path, RouteOverrides &route, ErrorCollector &errors);

// "info", "low", "medium", "high", "critical" -> the severity; nullopt for anything else.
std::optional<vigil_severity> severity_from_name(std::string_view name);

} // namespace vigil::config
