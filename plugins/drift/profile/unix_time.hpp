// SPDX-License-Identifier: Apache-2.0
// Unix nanoseconds as RFC 3339 text, for the JSON export and the command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil_drift {

// "2024-05-01T10:00:00.123456789Z": UTC, always nine fraction digits, so the
// text is lossless and sorts like the number.
std::string format_unix_ns(std::uint64_t unix_ns);

// RFC 3339 date-time: "Z" or a "+hh:mm"/"-hh:mm" offset, 0 to 9 fraction
// digits. nullopt for anything else or a time before 1970.
std::optional<std::uint64_t> parse_unix_ns(std::string_view text);

} // namespace vigil_drift
