// SPDX-License-Identifier: Apache-2.0
// Reading a core section such as [sensor] into its struct, driven by the
// section's schema: unknown keys, wrong types and out-of-range values all
// become errors, and keys that are absent keep their defaults.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <toml++/toml.h>

#include "core/config/closest_name.hpp"
#include "core/config/config_value.hpp"
#include "core/config/error_collector.hpp"
#include "core/config/setting.hpp"

namespace vigil::config {

// One overload per kind of field; each leaves @field untouched when @value is rejected.
void read_setting_value(const toml::node &value, const IntegerRule &rule, std::span<const std::string_view> choices,
                        const std::string &key, ErrorCollector &errors, bool &field);
void read_setting_value(const toml::node &value, const IntegerRule &rule, std::span<const std::string_view> choices,
                        const std::string &key, ErrorCollector &errors, uint32_t &field);
void read_setting_value(const toml::node &value, const IntegerRule &rule, std::span<const std::string_view> choices,
                        const std::string &key, ErrorCollector &errors, std::string &field);
void read_setting_value(const toml::node &value, const IntegerRule &rule, std::span<const std::string_view> choices,
                        const std::string &key, ErrorCollector &errors, std::vector<std::string> &field);

template <class Section>
void read_section(const toml::node &node, const SectionSchema<Section> &schema, Section &section,
                  ErrorCollector &errors)
{
    const auto *table = node.as_table();
    if (table == nullptr) {
        errors.add(node.source(), std::string(schema.name), type_mismatch("a table", node));
        return;
    }
    std::vector<std::string_view> known_names;
    for (const auto &setting : schema.settings) {
        known_names.push_back(setting.name);
    }
    for (auto &&[key, value] : *table) {
        auto path = std::string(schema.name) + "." + std::string(key.str());
        auto setting = std::ranges::find(schema.settings, key.str(), &Setting<Section>::name);
        if (setting == schema.settings.end()) {
            errors.add(key.source(), path, "unknown key" + did_you_mean(key.str(), known_names));
            continue;
        }
        std::visit(
            [&](auto field) {
                read_setting_value(value, setting->integer_rule, setting->choices, path, errors, section.*field);
            },
            setting->field);
    }
}

} // namespace vigil::config
