// SPDX-License-Identifier: Apache-2.0
// Alert timestamps as RFC 3339 UTC text with exactly nine fractional digits,
// so that every alert's "time" has the same width and sorts as text.
#pragma once

#include <cstdint>
#include <string>

namespace vigil::alerts {

// Appends e.g. "2026-11-21T17:00:00.123456789Z" for @unix_ns nanoseconds since the epoch.
void append_rfc3339(std::string &out, uint64_t unix_ns);

std::string format_rfc3339(uint64_t unix_ns);

} // namespace vigil::alerts
