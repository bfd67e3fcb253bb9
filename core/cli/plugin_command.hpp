// SPDX-License-Identifier: Apache-2.0
// Commands plugins ship: `vigil <name> ARGS...` for a name that is not one of
// the sensor's own runs <commands directory>/vigil-<name> ARGS..., so that a
// plugin's tool (the drift plugin's `vigil profiles`, say) is found where the
// sensor is, and finds the sensor's state directory and configuration.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::cli {

// What a command line asks of a plugin command.
struct PluginCommandCall {
    std::string name;                       // "profiles"
    std::optional<std::string> config_path; // -c/--config given before the name
    std::vector<std::string> arguments;     // everything after the name, unchanged
};

// <directory of the vigil executable>/../lib/vigil/commands.
std::string plugin_commands_directory();

// The names of the commands in @directory: each executable "vigil-<name>", sorted.
std::vector<std::string> list_plugin_commands(const std::string &directory);

// The executable of command @name in @directory, if there is one.
std::optional<std::string> plugin_command_path(const std::string &directory, std::string_view name);

// Splits @arguments (argv without argv[0]) when its first word that is not an
// option of vigil's own is a command name outside @builtins: vigil's options
// before it (-c FILE, --config FILE, --config=FILE, -cFILE) are vigil's, the
// rest is the command's. nullopt for a built-in command, no command at all,
// or an option vigil does not know before the name (Boost reports those).
std::optional<PluginCommandCall> split_plugin_command(std::span<const std::string> arguments,
                                                      std::span<const std::string_view> builtins);

// Replaces this process with @executable, passing @call's arguments through,
// with VIGIL_STATE_DIRECTORY set to the configured [sensor] state_directory
// and VIGIL_CONFIG to the configuration file (the default one when none was
// given). Returns only on failure: 2 for a configuration that does not load,
// 1 when the executable cannot be run (both said on stderr).
int exec_plugin_command(const std::string &executable, const PluginCommandCall &call);

} // namespace vigil::cli
