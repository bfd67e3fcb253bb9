// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/rfc3339.hpp"

#include <chrono>

namespace vigil::alerts {
namespace {

constexpr uint64_t nanoseconds_per_second = 1'000'000'000;
constexpr uint64_t seconds_per_day = 86'400;

// Appends @value as exactly @width decimal digits, zero-padded.
void append_digits(std::string &out, uint64_t value, int width)
{
    char digits[20];
    for (int index = width - 1; index >= 0; --index) {
        digits[index] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(digits, static_cast<std::size_t>(width));
}

} // namespace

void append_rfc3339(std::string &out, uint64_t unix_ns)
{
    // Split by hand rather than through chrono::nanoseconds: its int64 tick
    // count would overflow for a uint64 past 2262, while days never do.
    uint64_t seconds = unix_ns / nanoseconds_per_second;
    uint64_t fraction = unix_ns % nanoseconds_per_second;
    uint64_t day_number = seconds / seconds_per_day;
    uint64_t second_of_day = seconds % seconds_per_day;

    std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{static_cast<int>(day_number)}}};
    append_digits(out, static_cast<uint64_t>(static_cast<int>(date.year())), 4);
    out += '-';
    append_digits(out, static_cast<unsigned>(date.month()), 2);
    out += '-';
    append_digits(out, static_cast<unsigned>(date.day()), 2);
    out += 'T';
    append_digits(out, second_of_day / 3600, 2);
    out += ':';
    append_digits(out, second_of_day / 60 % 60, 2);
    out += ':';
    append_digits(out, second_of_day % 60, 2);
    out += '.';
    append_digits(out, fraction, 9);
    out += 'Z';
}

std::string format_rfc3339(uint64_t unix_ns)
{
    std::string text;
    text.reserve(30);
    append_rfc3339(text, unix_ns);
    return text;
}

} // namespace vigil::alerts
