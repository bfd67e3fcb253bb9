// SPDX-License-Identifier: Apache-2.0
#include "core/config/plugin_name.hpp"

#include <algorithm>

namespace vigil::config {

bool is_valid_plugin_name(std::string_view name)
{
    return !name.empty() && std::ranges::all_of(name, [](char letter) {
        return (letter >= 'a' && letter <= 'z') || (letter >= '0' && letter <= '9') || letter == '_';
    });
}

} // namespace vigil::config
