// SPDX-License-Identifier: Apache-2.0
// Gathers every configuration error instead of stopping at the first, so one
// run of the sensor shows the operator everything there is to fix.
#pragma once

#include <string>

#include <toml++/toml.h>

#include "core/config/config_error.hpp"

namespace vigil::config {

class ErrorCollector {
public:
    explicit ErrorCollector(std::string file);

    void add(const toml::source_region &where, std::string key, std::string message);
    // For problems that have no place in the file, such as a plugin's own bad declaration.
    void add(uint32_t line, uint32_t column, std::string key, std::string message);

    bool empty() const { return errors_.empty(); }
    const std::string &file() const { return file_; }

    // The errors sorted by position: TOML tables iterate in key order, not in
    // the order the operator wrote them, so they are collected out of order.
    ConfigErrors take_in_file_order();

private:
    std::string file_;
    ConfigErrors errors_;
};

} // namespace vigil::config
