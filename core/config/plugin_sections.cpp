// SPDX-License-Identifier: Apache-2.0
#include "core/config/plugin_sections.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include "core/config/config_value.hpp"
#include "core/config/plugin_name.hpp"

namespace vigil::config {

namespace {

void read_enabled(const toml::table &table, const std::string &path, PluginSection &section, ErrorCollector &errors)
{
    const auto *enabled = table.get("enabled");
    if (enabled == nullptr) {
        return;
    }
    if (const auto *value = enabled->as_boolean()) {
        section.enabled = value->get();
    } else {
        errors.add(enabled->source(), path + ".enabled", type_mismatch("a boolean", *enabled));
    }
}

// An output table may name the plugin that serves it, so that two tables can
// use one plugin with different options (say, two webhooks).
void read_output_plugin(const toml::table &table, const std::string &path, PluginSection &section,
                        ErrorCollector &errors)
{
    const auto *plugin = table.get("plugin");
    if (plugin == nullptr) {
        return;
    }
    const auto *value = plugin->as_string();
    if (value == nullptr) {
        errors.add(plugin->source(), path + ".plugin", type_mismatch("a string", *plugin));
    } else if (!is_valid_plugin_name(value->get())) {
        errors.add(plugin->source(), path + ".plugin",
                   "'" + value->get() + "' is not a plugin name: " + std::string(plugin_name_rule));
    } else {
        section.plugin = value->get();
    }
}

} // namespace

void read_plugin_sections(const toml::node &node, std::string_view table_name, PluginKind kind,
                          std::vector<PluginSection> &sections, ErrorCollector &errors)
{
    const auto *table = node.as_table();
    if (table == nullptr) {
        errors.add(node.source(), std::string(table_name), type_mismatch("a table", node));
        return;
    }
    std::vector<PluginSection> found;
    for (auto &&[key, value] : *table) {
        auto name = std::string(key.str());
        auto path = std::string(table_name) + "." + name;
        if (!is_valid_plugin_name(name)) {
            errors.add(key.source(), path, "'" + name + "' is not a plugin name: " + std::string(plugin_name_rule));
            continue;
        }
        const auto *options = value.as_table();
        if (options == nullptr) {
            errors.add(value.source(), path, type_mismatch("a table", value));
            continue;
        }
        PluginSection section;
        section.name = name;
        section.plugin = name;
        section.options = options;
        section.location = {errors.file(), value.source().begin.line, value.source().begin.column};
        read_enabled(*options, path, section, errors);
        if (kind == PluginKind::output) {
            read_output_plugin(*options, path, section, errors);
            if (const auto *route = options->get("route")) {
                read_route(*route, path + ".route", section.route, errors);
            }
        }
        found.push_back(std::move(section));
    }
    // The table iterates by name; the operator expects the order they wrote.
    std::ranges::stable_sort(found, [](const PluginSection &left, const PluginSection &right) {
        return std::pair(left.location.line, left.location.column) <
               std::pair(right.location.line, right.location.column);
    });
    std::ranges::move(found, std::back_inserter(sections));
}

} // namespace vigil::config
