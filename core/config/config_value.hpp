// SPDX-License-Identifier: Apache-2.0
// Reading one TOML value as one of the types the plugin ABI knows
// (vigil_config_type), with a message an operator understands when it is not.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <toml++/toml.h>
#include <vigil/plugin_abi.h>

namespace vigil::config {

// Alternatives in vigil_config_type order: BOOL, INTEGER, FLOAT, STRING, STRING_LIST.
using ConfigValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

struct ValueError {
    toml::source_region where; // the offending value, or the offending item of an array
    std::string message;
};

bool is_known_config_type(uint32_t type);

// "an integer", "an array of strings", ... for messages.
std::string_view config_type_name(uint32_t type);

// "an integer", "a table", ... : what the operator actually wrote.
std::string_view toml_type_name(const toml::node &node);

// "expected a table, got an integer"
std::string type_mismatch(std::string_view expected, const toml::node &actual);

// A FLOAT accepts an integer too, since "1" for "1.0" is what people write; every
// other type must match exactly, so nothing is converted behind the operator's back.
std::expected<ConfigValue, ValueError> read_value(const toml::node &node, uint32_t type);

} // namespace vigil::config
