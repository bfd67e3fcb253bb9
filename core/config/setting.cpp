// SPDX-License-Identifier: Apache-2.0
#include "core/config/setting.hpp"

#include <bit>

namespace vigil::config {

std::string describe_integer_rule(const IntegerRule &rule)
{
    std::string text = rule.zero_allowed ? "0 or " : "";
    if (rule.power_of_two) {
        text += "a power of two ";
    }
    return text + "between " + std::to_string(rule.minimum) + " and " + std::to_string(rule.maximum);
}

bool integer_rule_accepts(const IntegerRule &rule, int64_t value)
{
    if (value == 0 && rule.zero_allowed) {
        return true;
    }
    if (value < rule.minimum || value > rule.maximum) {
        return false;
    }
    return !rule.power_of_two || std::has_single_bit(static_cast<uint64_t>(value));
}

std::string describe_choices(std::span<const std::string_view> choices)
{
    std::string text = "one of ";
    for (std::size_t index = 0; index < choices.size(); ++index) {
        text += (index == 0 ? "" : ", ") + std::string(choices[index]);
    }
    return text;
}

} // namespace vigil::config
