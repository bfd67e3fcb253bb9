// SPDX-License-Identifier: Apache-2.0
#include "core/config/error_collector.hpp"

#include <algorithm>
#include <utility>

namespace vigil::config {

ErrorCollector::ErrorCollector(std::string file) : file_(std::move(file)) {}

void ErrorCollector::add(const toml::source_region &where, std::string key, std::string message)
{
    add(where.begin.line, where.begin.column, std::move(key), std::move(message));
}

void ErrorCollector::add(uint32_t line, uint32_t column, std::string key, std::string message)
{
    errors_.push_back(ConfigError{file_, line, column, std::move(key), std::move(message)});
}

ConfigErrors ErrorCollector::take_in_file_order()
{
    std::ranges::stable_sort(errors_, [](const ConfigError &left, const ConfigError &right) {
        return std::pair(left.line, left.column) < std::pair(right.line, right.column);
    });
    return std::exchange(errors_, {});
}

} // namespace vigil::config
