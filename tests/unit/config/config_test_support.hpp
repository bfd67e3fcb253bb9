// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the configuration tests.
#pragma once

#include <string>

#include "core/config/config_error.hpp"

namespace vigil::config::testing {

inline std::string fixture(const std::string &name)
{
    return std::string(VIGIL_TEST_FIXTURES) + "/config/" + name;
}

// One error per line, so that a failing CHECK shows every message at once.
inline std::string joined(const ConfigErrors &errors)
{
    std::string text;
    for (const auto &error : errors) {
        text += error.to_string() + "\n";
    }
    return text;
}

} // namespace vigil::config::testing
