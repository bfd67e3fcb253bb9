// SPDX-License-Identifier: Apache-2.0
#include "core/config/section_reader.hpp"

#include <optional>
#include <utility>

namespace vigil::config {

namespace {

template <class Wanted>
std::optional<Wanted> read_as(const toml::node &value, uint32_t type, const std::string &key, ErrorCollector &errors)
{
    auto parsed = read_value(value, type);
    if (!parsed) {
        errors.add(parsed.error().where, key, std::move(parsed.error().message));
        return std::nullopt;
    }
    return std::get<Wanted>(std::move(*parsed));
}

// The message for a string outside @choices, with a suggestion when it looks like a typo.
std::optional<std::string> choice_problem(std::string_view text, std::span<const std::string_view> choices)
{
    if (choices.empty() || std::ranges::find(choices, text) != choices.end()) {
        return std::nullopt;
    }
    return "expected " + describe_choices(choices) + "; got '" + std::string(text) + "'" + did_you_mean(text, choices);
}

} // namespace

void read_setting_value(const toml::node &value, const IntegerRule & /*rule*/,
                        std::span<const std::string_view> /*choices*/, const std::string &key, ErrorCollector &errors,
                        bool &field)
{
    if (auto parsed = read_as<bool>(value, VIGIL_CONFIG_BOOL, key, errors)) {
        field = *parsed;
    }
}

void read_setting_value(const toml::node &value, const IntegerRule &rule, std::span<const std::string_view> /*choices*/,
                        const std::string &key, ErrorCollector &errors, uint32_t &field)
{
    auto parsed = read_as<int64_t>(value, VIGIL_CONFIG_INTEGER, key, errors);
    if (!parsed) {
        return;
    }
    if (!integer_rule_accepts(rule, *parsed)) {
        errors.add(value.source(), key, "must be " + describe_integer_rule(rule) + ", got " + std::to_string(*parsed));
        return;
    }
    // The rule's bounds are uint32_t, so an accepted value always fits.
    field = static_cast<uint32_t>(*parsed);
}

void read_setting_value(const toml::node &value, const IntegerRule & /*rule*/,
                        std::span<const std::string_view> choices, const std::string &key, ErrorCollector &errors,
                        std::string &field)
{
    auto parsed = read_as<std::string>(value, VIGIL_CONFIG_STRING, key, errors);
    if (!parsed) {
        return;
    }
    if (auto problem = choice_problem(*parsed, choices)) {
        errors.add(value.source(), key, std::move(*problem));
        return;
    }
    field = std::move(*parsed);
}

void read_setting_value(const toml::node &value, const IntegerRule & /*rule*/,
                        std::span<const std::string_view> choices, const std::string &key, ErrorCollector &errors,
                        std::vector<std::string> &field)
{
    auto parsed = read_as<std::vector<std::string>>(value, VIGIL_CONFIG_STRING_LIST, key, errors);
    if (!parsed) {
        return;
    }
    // Every bad item is reported, each at its own position in the array.
    const auto &array = *value.as_array();
    bool accepted = true;
    for (std::size_t index = 0; index < parsed->size(); ++index) {
        if (auto problem = choice_problem((*parsed)[index], choices)) {
            errors.add(array[index].source(), key, "item " + std::to_string(index + 1) + ": " + *problem);
            accepted = false;
        }
    }
    if (accepted) {
        field = std::move(*parsed);
    }
}

} // namespace vigil::config
