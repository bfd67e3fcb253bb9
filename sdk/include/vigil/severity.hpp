// SPDX-License-Identifier: Apache-2.0
// The names of alert severities as the sensor writes them in an alert's JSON,
// for outputs that show a severity in that same vocabulary. An output whose
// receiver has a vocabulary of its own (a pager's urgency, a log status)
// keeps its own mapping instead.
#pragma once

#include <cstdint>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil {

// "info", "low", "medium", "high", "critical"; @otherwise for a value outside
// enum vigil_severity (the sensor clamps what it hands out, so only a newer
// ABI or a test can produce one).
constexpr std::string_view severity_name(uint32_t severity, std::string_view otherwise = "unknown")
{
    switch (severity) {
    case VIGIL_SEVERITY_INFO:
        return "info";
    case VIGIL_SEVERITY_LOW:
        return "low";
    case VIGIL_SEVERITY_MEDIUM:
        return "medium";
    case VIGIL_SEVERITY_HIGH:
        return "high";
    case VIGIL_SEVERITY_CRITICAL:
        return "critical";
    default:
        return otherwise;
    }
}

} // namespace vigil
