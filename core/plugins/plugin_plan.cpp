// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_plan.hpp"

#include <filesystem>
#include <map>

#include <toml++/toml.h>

namespace vigil::plugins {
namespace {

const plugins::PluginLibrary *find_plugin(const plugins::PluginDirectory &directory, const std::string &name)
{
    for (const auto &plugin : directory.plugins) {
        if (plugin->descriptor().name == name) {
            return plugin.get();
        }
    }
    return nullptr;
}

bool was_refused(const plugins::PluginDirectory &directory, const std::string &name)
{
    for (const auto &refusal : directory.refused) {
        if (std::filesystem::path(refusal.file).stem() == name) {
            return true;
        }
    }
    return false;
}

std::string available_names(const plugins::PluginDirectory &directory, vigil_plugin_kind kind)
{
    std::string names;
    for (const auto &plugin : directory.plugins) {
        if (plugin->descriptor().kind == kind) {
            names += names.empty() ? "" : ", ";
            names += plugin->descriptor().name;
        }
    }
    return names.empty() ? "none" : names;
}

// Finds the plugin a table names; an error, or a note if that plugin was refused, when there is none.
const plugins::PluginLibrary *resolve_section(const config::Config &config, const config::PluginSection &section,
                                              std::string_view table, vigil_plugin_kind kind,
                                              const plugins::PluginDirectory &directory, PluginPlan &plan,
                                              config::ConfigErrors &errors)
{
    const auto *plugin = find_plugin(directory, section.plugin);
    if (plugin != nullptr && plugin->descriptor().kind == kind) {
        return plugin;
    }
    std::string key = std::string(table) + "." + section.name;
    if (plugin != nullptr) {
        errors.push_back({config.path, section.location.line, section.location.column, key,
                          "plugin " + section.plugin + " is " +
                              std::string(plugins::plugin_kind_name(plugin->descriptor().kind)) + ", not " +
                              std::string(plugins::plugin_kind_name(kind))});
    } else if (was_refused(directory, section.plugin)) {
        plan.notes.push_back("[" + key + "] is configured but plugin " + section.plugin + " was refused");
    } else if (section.enabled) {
        errors.push_back({config.path, section.location.line, section.location.column, key,
                          "no plugin named " + section.plugin +
                              " in the plugin directory (available: " + available_names(directory, kind) + ")"});
    }
    return nullptr;
}

void plan_one(const config::Config &config, const config::PluginSection &section, std::string_view table,
              const plugins::PluginLibrary &plugin, std::vector<PlannedPlugin> &into, config::ConfigErrors &errors)
{
    auto options = config::PluginOptions::validate(section, config.path, table, plugin.descriptor().config_keys);
    if (!options) {
        errors.insert(errors.end(), options.error().begin(), options.error().end());
        return;
    }
    into.push_back(PlannedPlugin{&plugin, section.name, std::move(*options), section.route});
}

} // namespace

std::expected<PluginPlan, config::ConfigErrors> plan_plugins(const config::Config &config,
                                                             const plugins::PluginDirectory &directory)
{
    PluginPlan plan;
    config::ConfigErrors errors;
    static const toml::table empty_table;

    std::map<std::string, const config::PluginSection *> detector_sections;
    for (const auto &section : config.detectors) {
        detector_sections[section.plugin] = &section;
        resolve_section(config, section, "plugins", VIGIL_PLUGIN_DETECTOR, directory, plan, errors);
    }
    for (const auto &plugin : directory.plugins) {
        if (plugin->descriptor().kind != VIGIL_PLUGIN_DETECTOR) {
            continue;
        }
        config::PluginSection defaults;
        defaults.name = plugin->descriptor().name;
        defaults.plugin = defaults.name;
        defaults.options = &empty_table;
        const auto *section = detector_sections.contains(defaults.name) ? detector_sections[defaults.name] : &defaults;
        if (!section->enabled) {
            plan.notes.push_back("detector " + defaults.name + " is disabled in the configuration");
            continue;
        }
        plan_one(config, *section, "plugins", *plugin, plan.detectors, errors);
    }

    for (const auto &section : config.outputs) {
        const auto *plugin = resolve_section(config, section, "outputs", VIGIL_PLUGIN_OUTPUT, directory, plan, errors);
        if (plugin == nullptr) {
            continue;
        }
        if (!section.enabled) {
            plan.notes.push_back("output " + section.name + " is disabled in the configuration");
            continue;
        }
        plan_one(config, section, "outputs", *plugin, plan.outputs, errors);
    }
    if (!errors.empty()) {
        return std::unexpected(std::move(errors));
    }
    return plan;
}

} // namespace vigil::plugins
