// SPDX-License-Identifier: Apache-2.0
// Text helpers for output plugins beyond JSON (json_text.hpp): keys bounded
// in length that stay distinct, and ISO 8601 times. Header-only.
//
//   auto key = vigil::text::bounded_key(finding, 255);
//   auto when = vigil::text::iso8601_utc_ms(alert.time_unix_ns);
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#include <vigil/json_text.hpp>

namespace vigil::text {

// FNV-1a, 64 bits: stable across runs and builds, unlike std::hash.
inline uint64_t stable_hash(std::string_view text)
{
    uint64_t hash = 14695981039346656037ULL;
    for (unsigned char byte : text) {
        hash = (hash ^ byte) * 1099511628211ULL;
    }
    return hash;
}

// @key if it fits in @max_bytes (at least 17); else its start and "~" and 16
// hex digits of a hash of the whole, so two long keys that differ only at the
// end stay different.
inline std::string bounded_key(std::string_view key, std::size_t max_bytes)
{
    if (key.size() <= max_bytes) {
        return std::string(key);
    }
    char suffix[18];
    std::snprintf(suffix, sizeof(suffix), "~%016llx", static_cast<unsigned long long>(stable_hash(key)));
    std::string bounded(json::utf8_prefix(key, max_bytes - 17));
    bounded += suffix;
    return bounded;
}

// "2024-05-01T12:00:00.123Z": ISO 8601 / RFC 3339 in UTC, milliseconds.
inline std::string iso8601_utc_ms(uint64_t unix_ns)
{
    const auto seconds = static_cast<std::time_t>(unix_ns / 1'000'000'000ULL);
    const auto millis = static_cast<unsigned>((unix_ns / 1'000'000ULL) % 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char out[96]; // room for any int year, as the compiler checks
    std::snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return out;
}

} // namespace vigil::text
