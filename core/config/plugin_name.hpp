// SPDX-License-Identifier: Apache-2.0
// Plugin names appear as TOML table names, metric prefixes and rule ids, so
// they are kept to characters that are safe in all of them.
#pragma once

#include <string_view>

namespace vigil::config {

// True for [a-z0-9_]+.
bool is_valid_plugin_name(std::string_view name);

inline constexpr std::string_view plugin_name_rule = "use only lowercase letters, digits and '_'";

} // namespace vigil::config
