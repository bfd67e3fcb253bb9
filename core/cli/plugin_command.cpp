// SPDX-License-Identifier: Apache-2.0
#include "core/cli/plugin_command.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "core/cli/loaded_config.hpp"

namespace vigil::cli {
namespace {

constexpr std::string_view command_prefix = "vigil-";

bool executable_file(const std::filesystem::path &path)
{
    std::error_code error;
    return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

// A name that cannot climb out of the directory or hide an option.
bool plain_name(std::string_view name)
{
    return !name.empty() && name.front() != '-' && name.find('/') == std::string_view::npos && name != "." &&
           name != "..";
}

} // namespace

std::string plugin_commands_directory()
{
    std::error_code error;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        return "/usr/lib/vigil/commands";
    }
    return (executable.parent_path().parent_path() / "lib" / "vigil" / "commands").lexically_normal().string();
}

std::vector<std::string> list_plugin_commands(const std::string &directory)
{
    std::vector<std::string> names;
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator(directory, error)) {
        auto file = entry.path().filename().string();
        if (file.starts_with(command_prefix) && file.size() > command_prefix.size() && executable_file(entry.path())) {
            names.push_back(file.substr(command_prefix.size()));
        }
    }
    std::ranges::sort(names);
    return names;
}

std::optional<std::string> plugin_command_path(const std::string &directory, std::string_view name)
{
    if (!plain_name(name)) {
        return std::nullopt;
    }
    auto path = std::filesystem::path(directory) / (std::string(command_prefix) + std::string(name));
    if (!executable_file(path)) {
        return std::nullopt;
    }
    return path.string();
}

std::optional<PluginCommandCall> split_plugin_command(std::span<const std::string> arguments,
                                                      std::span<const std::string_view> builtins)
{
    PluginCommandCall call;
    for (std::size_t index = 0; index < arguments.size(); ++index) {
        const auto &argument = arguments[index];
        if (argument == "-c" || argument == "--config") {
            if (index + 1 == arguments.size()) {
                return std::nullopt; // Boost says the value is missing
            }
            call.config_path = arguments[++index];
        } else if (argument.starts_with("--config=")) {
            call.config_path = argument.substr(std::strlen("--config="));
        } else if (argument.starts_with("-c") && !argument.starts_with("--")) {
            call.config_path = argument.substr(2);
        } else if (argument.starts_with("-")) {
            return std::nullopt; // --help, --version, or an unknown option: vigil's own parsing
        } else {
            if (std::ranges::find(builtins, std::string_view(argument)) != builtins.end()) {
                return std::nullopt;
            }
            call.name = argument;
            call.arguments.assign(arguments.begin() + static_cast<std::ptrdiff_t>(index) + 1, arguments.end());
            return call;
        }
    }
    return std::nullopt;
}

int exec_plugin_command(const std::string &executable, const PluginCommandCall &call)
{
    auto config = load_config_or_report(call.config_path);
    if (!config) {
        return 2;
    }
    auto config_path = call.config_path.value_or(default_config_path);
    if (::setenv("VIGIL_STATE_DIRECTORY", config->sensor.state_directory.c_str(), 1) != 0 ||
        ::setenv("VIGIL_CONFIG", config_path.c_str(), 1) != 0) {
        std::cerr << "vigil: " << call.name << ": cannot set its environment: " << std::strerror(errno) << "\n";
        return 1;
    }
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(executable.c_str()));
    for (const auto &argument : call.arguments) {
        argv.push_back(const_cast<char *>(argument.c_str()));
    }
    argv.push_back(nullptr);
    ::execv(executable.c_str(), argv.data());
    std::cerr << "vigil: " << call.name << ": cannot run " << executable << ": " << std::strerror(errno) << "\n";
    return 1;
}

} // namespace vigil::cli
