// SPDX-License-Identifier: Apache-2.0
// A problem found in the configuration, located precisely enough that the
// operator can go straight to the offending line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::config {

struct ConfigError {
    std::string file;    // the config file path as given
    uint32_t line = 0;   // 1-based; 0 when there is no line (e.g. the file is missing)
    uint32_t column = 0; // 1-based; 0 when unknown
    std::string key;     // dotted key path such as "sensor.drain_interval_ms"; may be empty
    std::string message; // e.g. "expected an integer, got a string"

    // "conf/vigil.toml:12:5: sensor.drain_interval_ms: expected an integer, got a string",
    // leaving out whichever parts are absent.
    std::string to_string() const;
};

using ConfigErrors = std::vector<ConfigError>;

} // namespace vigil::config
