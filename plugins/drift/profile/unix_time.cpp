// SPDX-License-Identifier: Apache-2.0
#include "profile/unix_time.hpp"

#include <chrono>
#include <cstdio>

namespace vigil_drift {

namespace {

constexpr std::uint64_t ns_per_second = 1'000'000'000;

// Parses exactly `digits` decimal digits at `text[position]`.
std::optional<int> number(std::string_view text, std::size_t position, std::size_t digits)
{
    if (position + digits > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t index = position; index < position + digits; ++index) {
        if (text[index] < '0' || text[index] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[index] - '0');
    }
    return value;
}

bool is_char(std::string_view text, std::size_t position, char expected)
{
    return position < text.size() && (text[position] == expected);
}

} // namespace

std::string format_unix_ns(std::uint64_t unix_ns)
{
    using namespace std::chrono;
    auto seconds = static_cast<std::int64_t>(unix_ns / ns_per_second);
    auto fraction = unix_ns % ns_per_second;
    sys_days days{floor<std::chrono::days>(sys_seconds{std::chrono::seconds{seconds}}.time_since_epoch())};
    year_month_day date{days};
    auto of_day = seconds - duration_cast<std::chrono::seconds>(days.time_since_epoch()).count();
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%09lluZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long long>(of_day / 3600), static_cast<long long>(of_day / 60 % 60),
                  static_cast<long long>(of_day % 60), static_cast<unsigned long long>(fraction));
    return buffer;
}

std::optional<std::uint64_t> parse_unix_ns(std::string_view text)
{
    using namespace std::chrono;
    auto year = number(text, 0, 4);
    auto month = number(text, 5, 2);
    auto day = number(text, 8, 2);
    auto hour = number(text, 11, 2);
    auto minute = number(text, 14, 2);
    auto second = number(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second || !is_char(text, 4, '-') || !is_char(text, 7, '-') ||
        !(is_char(text, 10, 'T') || is_char(text, 10, 't')) || !is_char(text, 13, ':') || !is_char(text, 16, ':')) {
        return std::nullopt;
    }
    year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                        std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    std::size_t position = 19;
    std::uint64_t fraction = 0;
    if (is_char(text, position, '.')) {
        ++position;
        std::size_t digits = 0;
        while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
            if (++digits > 9) {
                return std::nullopt;
            }
            fraction = fraction * 10 + static_cast<std::uint64_t>(text[position] - '0');
            ++position;
        }
        if (digits == 0) {
            return std::nullopt;
        }
        for (; digits < 9; ++digits) {
            fraction *= 10;
        }
    }
    std::int64_t offset_seconds = 0;
    if (is_char(text, position, 'Z') || is_char(text, position, 'z')) {
        ++position;
    } else if (is_char(text, position, '+') || is_char(text, position, '-')) {
        auto offset_hour = number(text, position + 1, 2);
        auto offset_minute = number(text, position + 4, 2);
        if (!offset_hour || !offset_minute || !is_char(text, position + 3, ':') || *offset_hour > 23 ||
            *offset_minute > 59) {
            return std::nullopt;
        }
        offset_seconds = (*offset_hour * 3600 + *offset_minute * 60) * (text[position] == '-' ? -1 : 1);
        position += 6;
    } else {
        return std::nullopt;
    }
    if (position != text.size()) {
        return std::nullopt;
    }
    auto seconds = sys_days{date}.time_since_epoch().count() * 86400LL + *hour * 3600LL + *minute * 60LL + *second -
                   offset_seconds;
    if (seconds < 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(seconds) * ns_per_second + fraction;
}

} // namespace vigil_drift
