// SPDX-License-Identifier: Apache-2.0
// The option keys a plugin declares in its descriptor, checked once when it is
// loaded: a declaration mistake is the plugin author's bug, reported as such.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/config/config.hpp"
#include "core/config/config_value.hpp"
#include "core/config/error_collector.hpp"

namespace vigil::config {

struct DeclaredKey {
    std::string name;
    uint32_t type = 0; // enum vigil_config_type
    ConfigValue default_value;
};

// @literal is a TOML value such as "60" or "[\"a\"]"; the error says what is wrong with it.
std::expected<ConfigValue, std::string> parse_default_value(const char *literal, uint32_t type);

struct DeclaredKeys {
    std::vector<DeclaredKey> usable;
    // Named keys whose declaration was rejected: already reported, so the
    // operator's value for one of them is not reported again as unknown.
    std::vector<std::string> rejected;
};

// The declarations of @keys. Problems are reported at @location (the
// plugin's table), under keys "<path_prefix>.<key>". @reserved names belong to
// the core and may not be declared. @plugin names the plugin in messages.
DeclaredKeys read_declared_keys(std::span<const vigil_config_key> keys, std::string_view plugin,
                                std::string_view path_prefix, std::span<const std::string_view> reserved,
                                const SourceLocation &location, ErrorCollector &errors);

} // namespace vigil::config
