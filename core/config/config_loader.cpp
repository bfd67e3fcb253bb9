// SPDX-License-Identifier: Apache-2.0
#include "core/config/config.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/config/closest_name.hpp"
#include "core/config/config_schema.hpp"
#include "core/config/error_collector.hpp"
#include "core/config/text_file.hpp"

namespace vigil::config {

namespace {

std::string list_of_tables()
{
    std::string names;
    for (const auto &table : top_level_tables()) {
        names += (names.empty() ? "" : ", ") + std::string(table.name);
    }
    return names;
}

// A key above the first table header belongs to no table; when it is the name
// of a known setting, the likely mistake is where it was written.
std::string stray_key_message(std::string_view name)
{
    for (const auto &setting : describe_core_settings()) {
        auto dot = setting.key.find('.');
        if (setting.key.substr(dot + 1) == name) {
            return "unknown key; did you mean '" + setting.key + "', in the [" + setting.key.substr(0, dot) +
                   "] table?";
        }
    }
    return "unknown key; the top level holds only the tables " + list_of_tables();
}

std::string unknown_table_message(std::string_view name, const toml::node &value)
{
    if (!value.is_table()) {
        return stray_key_message(name);
    }
    std::vector<std::string_view> known;
    for (const auto &table : top_level_tables()) {
        known.push_back(table.name);
    }
    auto suggestion = did_you_mean(name, known);
    if (!suggestion.empty()) {
        return "unknown table" + suggestion;
    }
    return "unknown table; the known ones are " + list_of_tables();
}

} // namespace

std::expected<Config, ConfigErrors> load_config(const std::string &path)
{
    auto text = read_text_file(path);
    if (!text) {
        return std::unexpected(ConfigErrors{ConfigError{
            path, 0, 0, "", "cannot read the configuration file: " + std::string(std::strerror(text.error()))}});
    }
    return parse_config(*text, path);
}

std::expected<Config, ConfigErrors> parse_config(std::string_view text, const std::string &path_for_messages)
{
    Config config;
    config.path = path_for_messages;
    try {
        config.document = std::make_shared<toml::table>(toml::parse(text, std::string_view{path_for_messages}));
    } catch (const toml::parse_error &error) {
        const auto &where = error.source().begin;
        return std::unexpected(ConfigErrors{
            ConfigError{path_for_messages, where.line, where.column, "", std::string(error.description())}});
    }

    ErrorCollector errors(path_for_messages);
    for (auto &&[key, value] : *config.document) {
        auto table = std::ranges::find(top_level_tables(), key.str(), &TopLevelTable::name);
        if (table == top_level_tables().end()) {
            errors.add(key.source(), std::string(key.str()), unknown_table_message(key.str(), value));
            continue;
        }
        table->read(value, config, errors);
    }
    if (!errors.empty()) {
        return std::unexpected(errors.take_in_file_order());
    }
    return config;
}

} // namespace vigil::config
