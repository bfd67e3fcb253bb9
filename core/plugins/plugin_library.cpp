// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_library.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/plugins/plugin_trust.hpp"

namespace vigil::plugins {

PluginLibrary::PluginLibrary(std::string path, boost::dll::shared_library library, PluginDescriptor descriptor)
    : path_(std::move(path)), library_(std::move(library)), descriptor_(std::move(descriptor))
{
}

std::expected<std::unique_ptr<PluginLibrary>, std::string> PluginLibrary::load(const std::string &path)
{
    if (auto reason = check_file_trust(path)) {
        return std::unexpected("refused: " + *reason);
    }
    boost::dll::shared_library library;
    try {
        // Resolve every symbol now, so a plugin missing one fails here and not mid-event.
        library.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception &error) {
        return std::unexpected(std::string("cannot be loaded: ") + error.what());
    }
    if (!library.has(VIGIL_PLUGIN_ENTRY_SYMBOL)) {
        return std::unexpected(std::string("does not export ") + VIGIL_PLUGIN_ENTRY_SYMBOL +
                               " (is it a vigil plugin?)");
    }
    auto &entry = library.get<const vigil_plugin_descriptor *()>(VIGIL_PLUGIN_ENTRY_SYMBOL);
    auto descriptor = read_descriptor(entry());
    if (!descriptor) {
        return std::unexpected("refused: " + descriptor.error());
    }
    return std::unique_ptr<PluginLibrary>(new PluginLibrary(path, std::move(library), std::move(*descriptor)));
}

PluginDirectory load_plugin_directory(const std::string &directory)
{
    PluginDirectory result;
    std::vector<std::string> files;
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator(directory, error)) {
        if (entry.path().extension() == ".so") {
            files.push_back(entry.path().string());
        }
    }
    if (error) {
        result.refused.push_back({directory, "cannot list the plugin directory: " + error.message()});
        return result;
    }
    std::sort(files.begin(), files.end());
    if (auto reason = check_directory_trust(directory)) {
        for (const auto &file : files) {
            result.refused.push_back({file, "refused: " + *reason});
        }
        if (files.empty()) {
            result.refused.push_back({directory, "refused: " + *reason});
        }
        return result;
    }
    std::set<std::string> names;
    for (const auto &file : files) {
        auto plugin = PluginLibrary::load(file);
        if (!plugin) {
            result.refused.push_back({file, plugin.error()});
            continue;
        }
        const auto &name = (*plugin)->descriptor().name;
        if (!names.insert(name).second) {
            result.refused.push_back({file, "refused: another plugin is already named " + name});
            continue;
        }
        result.plugins.push_back(std::move(*plugin));
    }
    return result;
}

} // namespace vigil::plugins
