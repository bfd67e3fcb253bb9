// SPDX-License-Identifier: Apache-2.0
// Documentation of the core's settings, generated from the same schema that
// validates them, for `vigil config` style listings and the reference docs.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/config/setting.hpp"

namespace vigil::config {

struct SettingDescription {
    std::string key;           // "sensor.drain_interval_ms"
    std::string type;          // "boolean", "integer", "string" or "array of strings"
    std::string default_value; // as a TOML literal: "10", "\"info\"", "[]"
    std::string allowed;       // "between 1 and 1000", "one of ..."; "" when any value of the type is accepted
    std::string doc;
};

// One overload per kind of field, filling type, default_value and allowed.
void describe_value(bool value, const IntegerRule &rule, std::span<const std::string_view> choices,
                    SettingDescription &description);
void describe_value(uint32_t value, const IntegerRule &rule, std::span<const std::string_view> choices,
                    SettingDescription &description);
void describe_value(const std::string &value, const IntegerRule &rule, std::span<const std::string_view> choices,
                    SettingDescription &description);
void describe_value(const std::vector<std::string> &value, const IntegerRule &rule,
                    std::span<const std::string_view> choices, SettingDescription &description);

template <class Section>
void describe_section(const SectionSchema<Section> &schema, std::vector<SettingDescription> &descriptions)
{
    const Section defaults{};
    for (const auto &setting : schema.settings) {
        SettingDescription description;
        description.key = std::string(schema.name) + "." + std::string(setting.name);
        description.doc = std::string(setting.doc);
        std::visit(
            [&](auto field) { describe_value(defaults.*field, setting.integer_rule, setting.choices, description); },
            setting.field);
        descriptions.push_back(std::move(description));
    }
}

} // namespace vigil::config
