// SPDX-License-Identifier: Apache-2.0
#include "core/config/config_value.hpp"

namespace vigil::config {

namespace {

// Strings reach plugins as C strings, which would silently end at an embedded NUL.
std::expected<std::string, ValueError> read_string(const toml::node &node)
{
    const auto *text = node.as_string();
    if (text == nullptr) {
        return std::unexpected(ValueError{node.source(), type_mismatch("a string", node)});
    }
    if (text->get().find('\0') != std::string::npos) {
        return std::unexpected(ValueError{node.source(), "a string must not contain a NUL character"});
    }
    return text->get();
}

std::expected<ConfigValue, ValueError> read_string_list(const toml::node &node)
{
    const auto *array = node.as_array();
    if (array == nullptr) {
        return std::unexpected(ValueError{node.source(), type_mismatch("an array of strings", node)});
    }
    std::vector<std::string> items;
    items.reserve(array->size());
    for (std::size_t index = 0; index < array->size(); ++index) {
        auto item = read_string(*array->get(index));
        if (!item) {
            item.error().message = "item " + std::to_string(index + 1) + ": " + item.error().message;
            return std::unexpected(std::move(item.error()));
        }
        items.push_back(std::move(*item));
    }
    return items;
}

} // namespace

bool is_known_config_type(uint32_t type)
{
    return type >= VIGIL_CONFIG_BOOL && type <= VIGIL_CONFIG_STRING_LIST;
}

std::string_view config_type_name(uint32_t type)
{
    switch (type) {
    case VIGIL_CONFIG_BOOL:
        return "a boolean";
    case VIGIL_CONFIG_INTEGER:
        return "an integer";
    case VIGIL_CONFIG_FLOAT:
        return "a float";
    case VIGIL_CONFIG_STRING:
        return "a string";
    case VIGIL_CONFIG_STRING_LIST:
        return "an array of strings";
    default:
        return "an unknown type";
    }
}

std::string_view toml_type_name(const toml::node &node)
{
    switch (node.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

std::string type_mismatch(std::string_view expected, const toml::node &actual)
{
    return "expected " + std::string(expected) + ", got " + std::string(toml_type_name(actual));
}

std::expected<ConfigValue, ValueError> read_value(const toml::node &node, uint32_t type)
{
    switch (type) {
    case VIGIL_CONFIG_BOOL:
        if (const auto *value = node.as_boolean()) {
            return value->get();
        }
        break;
    case VIGIL_CONFIG_INTEGER:
        if (const auto *value = node.as_integer()) {
            return value->get();
        }
        break;
    case VIGIL_CONFIG_FLOAT:
        if (const auto *value = node.as_floating_point()) {
            return value->get();
        }
        if (const auto *value = node.as_integer()) {
            return static_cast<double>(value->get());
        }
        break;
    case VIGIL_CONFIG_STRING:
        return read_string(node);
    case VIGIL_CONFIG_STRING_LIST:
        return read_string_list(node);
    default:
        return std::unexpected(ValueError{node.source(), "no value can have an unknown type"});
    }
    return std::unexpected(ValueError{node.source(), type_mismatch(config_type_name(type), node)});
}

} // namespace vigil::config
