// SPDX-License-Identifier: Apache-2.0
#include "core/cli/loaded_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace vigil::cli {

std::optional<config::Config> load_config_or_report(const std::optional<std::string> &path)
{
    std::expected<config::Config, config::ConfigErrors> loaded;
    if (path) {
        loaded = config::load_config(*path);
    } else if (std::filesystem::exists(default_config_path)) {
        loaded = config::load_config(default_config_path);
    } else {
        loaded = config::parse_config("", "(built-in defaults)");
    }
    if (!loaded) {
        for (const auto &error : loaded.error()) {
            std::cerr << "vigil: " << error.to_string() << "\n";
        }
        std::cerr << "vigil: configuration rejected: nothing was loaded\n";
        return std::nullopt;
    }
    return std::move(*loaded);
}

std::string plugin_directory(const config::Config &config)
{
    if (!config.sensor.plugin_dir.empty()) {
        return config.sensor.plugin_dir;
    }
    std::error_code error;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        return "/usr/lib/vigil/plugins";
    }
    return (executable.parent_path().parent_path() / "lib" / "vigil" / "plugins").lexically_normal().string();
}

std::string node_name(const config::Config &config)
{
    if (!config.sensor.node_name.empty()) {
        return config.sensor.node_name;
    }
    if (const char *from_environment = std::getenv("NODE_NAME"); from_environment != nullptr && *from_environment) {
        return from_environment;
    }
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    return host;
}

} // namespace vigil::cli
