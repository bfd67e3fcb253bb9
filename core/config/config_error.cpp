// SPDX-License-Identifier: Apache-2.0
#include "core/config/config_error.hpp"

namespace vigil::config {

std::string ConfigError::to_string() const
{
    std::string text = file;
    if (line != 0) {
        text += (text.empty() ? "" : ":") + std::to_string(line);
        if (column != 0) {
            text += ":" + std::to_string(column);
        }
    }
    if (!text.empty()) {
        text += ": ";
    }
    if (!key.empty()) {
        text += key + ": ";
    }
    return text + message;
}

} // namespace vigil::config
