// SPDX-License-Identifier: Apache-2.0
#include "core/config/setting_description.hpp"

namespace vigil::config {

namespace {

std::string quoted(std::string_view text)
{
    std::string literal = "\"";
    for (char letter : text) {
        if (letter == '"' || letter == '\\') {
            literal += '\\';
        }
        literal += letter;
    }
    return literal + "\"";
}

} // namespace

void describe_value(bool value, const IntegerRule & /*rule*/, std::span<const std::string_view> /*choices*/,
                    SettingDescription &description)
{
    description.type = "boolean";
    description.default_value = value ? "true" : "false";
}

void describe_value(uint32_t value, const IntegerRule &rule, std::span<const std::string_view> /*choices*/,
                    SettingDescription &description)
{
    description.type = "integer";
    description.default_value = std::to_string(value);
    description.allowed = describe_integer_rule(rule);
}

void describe_value(const std::string &value, const IntegerRule & /*rule*/, std::span<const std::string_view> choices,
                    SettingDescription &description)
{
    description.type = "string";
    description.default_value = quoted(value);
    description.allowed = choices.empty() ? "" : describe_choices(choices);
}

void describe_value(const std::vector<std::string> &value, const IntegerRule & /*rule*/,
                    std::span<const std::string_view> choices, SettingDescription &description)
{
    description.type = "array of strings";
    description.default_value = "[";
    for (std::size_t index = 0; index < value.size(); ++index) {
        description.default_value += (index == 0 ? "" : ", ") + quoted(value[index]);
    }
    description.default_value += "]";
    description.allowed = choices.empty() ? "" : "each " + describe_choices(choices);
}

} // namespace vigil::config
