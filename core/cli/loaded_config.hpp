// SPDX-License-Identifier: Apache-2.0
// Reading the configuration for a command, and the defaults that depend on the
// machine rather than the file (plugin directory, node name).
#pragma once

#include <optional>
#include <string>

#include "core/config/config.hpp"

namespace vigil::cli {

inline constexpr const char *default_config_path = "/etc/vigil/vigil.toml";

// Loads @path (or, with none given, the default file if it exists, else built-in defaults).
// On errors, prints every one as "file:line:column: key: message" to stderr and returns nullopt.
std::optional<config::Config> load_config_or_report(const std::optional<std::string> &path);

// <directory of the vigil executable>/../lib/vigil/plugins, unless the config names one.
std::string plugin_directory(const config::Config &config);

// The config's node name, else $NODE_NAME (a DaemonSet sets it from the downward API), else the hostname.
std::string node_name(const config::Config &config);

} // namespace vigil::cli
