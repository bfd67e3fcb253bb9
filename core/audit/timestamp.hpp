// SPDX-License-Identifier: Apache-2.0
// Audit timestamps (RFC 3339 "2024-05-01T12:34:56.123456Z", any offset) to
// nanoseconds since the Unix epoch, so detectors compare numbers, not text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::audit {

// nullopt for anything that is not a complete RFC 3339 date-time, or before 1970.
std::optional<uint64_t> parse_rfc3339_unix_ns(std::string_view text);

} // namespace vigil::audit
