// SPDX-License-Identifier: Apache-2.0
// Which plugins run, with which options: the plugin directory matched against
// the [plugins.*] and [outputs.*] tables, every option validated against what
// each plugin declares. Runs before any plugin is initialised or any probe is
// loaded, so a configuration error stops the sensor with nothing half-started.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/config/plugin_options.hpp"
#include "core/plugins/plugin_library.hpp"

namespace vigil::plugins {

struct PlannedPlugin {
    const plugins::PluginLibrary *library = nullptr;
    std::string instance_name; // the table name; an output plugin may run as several instances
    config::PluginOptions options;
    config::RouteOverrides route; // outputs: the [outputs.<name>.route] table
};

struct PluginPlan {
    std::vector<PlannedPlugin> detectors;
    std::vector<PlannedPlugin> outputs;
    std::vector<std::string> notes; // sections for refused plugins, disabled plugins: worth a log line
};

// Detectors run unless their table says enabled = false; outputs run only where a table asks for them.
std::expected<PluginPlan, config::ConfigErrors> plan_plugins(const config::Config &config,
                                                             const plugins::PluginDirectory &directory);

} // namespace vigil::plugins
