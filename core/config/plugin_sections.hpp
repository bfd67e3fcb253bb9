// SPDX-License-Identifier: Apache-2.0
// Reading the [plugins.<name>] and [outputs.<name>] tables. Only what the core
// itself needs is checked here; each plugin's own options are checked later
// against what the plugin declares (plugin_options.hpp), once it is loaded.
#pragma once

#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/config/config.hpp"
#include "core/config/error_collector.hpp"

namespace vigil::config {

enum class PluginKind { detector, output };

// @table_name is "plugins" or "outputs"; the sections are appended in file order.
void read_plugin_sections(const toml::node &node, std::string_view table_name, PluginKind kind,
                          std::vector<PluginSection> &sections, ErrorCollector &errors);

} // namespace vigil::config
