// SPDX-License-Identifier: Apache-2.0
// `vigil plugins`: the plugins in the plugin directory, their versions, their
// ATT&CK coverage and options, and the ones refused with the reason.
#include <cstdio>
#include <string>

#include "core/cli/commands.hpp"
#include "core/cli/loaded_config.hpp"
#include "core/plugins/plugin_library.hpp"

namespace vigil::cli {
namespace {

std::string join_ids(const std::vector<vigil_attack_ref> &refs)
{
    std::string joined;
    for (const auto &ref : refs) {
        joined += (joined.empty() ? "" : ", ") + std::string(ref.id) + " " + ref.name;
    }
    return joined.empty() ? "-" : joined;
}

const char *type_name(uint32_t type)
{
    switch (type) {
    case VIGIL_CONFIG_BOOL:
        return "bool";
    case VIGIL_CONFIG_INTEGER:
        return "integer";
    case VIGIL_CONFIG_FLOAT:
        return "float";
    case VIGIL_CONFIG_STRING:
        return "string";
    case VIGIL_CONFIG_STRING_LIST:
        return "list of strings";
    default:
        return "?";
    }
}

} // namespace

int plugins_command(const CommandOptions &options)
{
    auto config = load_config_or_report(options.config_path);
    if (!config) {
        return 2;
    }
    auto directory = plugin_directory(*config);
    auto plugins = plugins::load_plugin_directory(directory);
    std::printf("Plugins in %s\n", directory.c_str());
    for (const auto &plugin : plugins.plugins) {
        const auto &descriptor = plugin->descriptor();
        std::printf("\n%s %s (%s, ABI %u.%u)\n  %s\n", descriptor.name.c_str(), descriptor.version.c_str(),
                    std::string(plugins::plugin_kind_name(descriptor.kind)).c_str(), descriptor.abi_major,
                    descriptor.abi_minor, descriptor.description.c_str());
        if (descriptor.kind == VIGIL_PLUGIN_DETECTOR) {
            std::printf("  tactics:    %s\n", join_ids(descriptor.tactics).c_str());
            std::printf("  techniques: %s\n", join_ids(descriptor.techniques).c_str());
        } else {
            std::printf("  route:      %s (change it in [outputs.<name>.route])\n",
                        descriptor.default_route.describe().c_str());
        }
        for (const auto &key : descriptor.config_keys) {
            std::printf("  option %s (%s, default %s): %s\n", key.name, type_name(key.type), key.default_value,
                        key.doc != nullptr ? key.doc : "");
        }
    }
    if (!plugins.refused.empty()) {
        std::printf("\nRefused\n");
        for (const auto &refusal : plugins.refused) {
            std::printf("  %s %s\n", refusal.file.c_str(), refusal.reason.c_str());
        }
    }
    return 0;
}

} // namespace vigil::cli
