// SPDX-License-Identifier: Apache-2.0
#include "facility.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace vigil_syslog {

std::optional<int> parse_facility(std::string_view name)
{
    static constexpr std::array<std::pair<std::string_view, int>, 24> names{{
        {"kern", 0},    {"user", 1},    {"mail", 2},    {"daemon", 3},  {"auth", 4},      {"syslog", 5},
        {"lpr", 6},     {"news", 7},    {"uucp", 8},    {"cron", 9},    {"authpriv", 10}, {"ftp", 11},
        {"ntp", 12},    {"audit", 13},  {"alert", 14},  {"clock", 15},  {"local0", 16},   {"local1", 17},
        {"local2", 18}, {"local3", 19}, {"local4", 20}, {"local5", 21}, {"local6", 22},   {"local7", 23},
    }};
    for (const auto &[known, code] : names) {
        if (known == name) {
            return code;
        }
    }
    int code = -1;
    auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), code);
    if (error == std::errc() && end == name.data() + name.size() && code >= 0 && code <= 23) {
        return code;
    }
    return std::nullopt;
}

} // namespace vigil_syslog
