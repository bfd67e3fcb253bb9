// SPDX-License-Identifier: Apache-2.0
// The Logs API body: a JSON array of entries, one per alert, each the alert's
// own JSON object with Datadog's reserved attributes added in front
// (message, ddsource, ddtags, hostname, service, status, timestamp).
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "formatting.hpp"

namespace vigil_datadog {

// The intake's documented limits; "MB" read as decimal, the stricter reading.
inline constexpr std::size_t logs_max_request_bytes = 5'000'000;
inline constexpr std::size_t logs_max_entry_bytes = 1'000'000;
inline constexpr std::size_t logs_max_entries = 1000;

// The log status an alert's severity maps to.
std::string_view log_status(uint32_t severity);

// One entry. An alert whose entry would pass logs_max_entry_bytes is sent
// without its full JSON (rule, plugin, severity, time and the mark
// "vigil_truncated": true instead), so that the intake never cuts it short.
std::string log_entry(const vigil_alert &alert, const Formatting &formatting,
                      std::size_t max_entry_bytes = logs_max_entry_bytes);

// Writes the array for the first alerts that fit in @max_request_bytes and
// @max_entries (at least one) into @body; returns how many it took.
std::size_t format_log_batch(std::span<const vigil_alert *const> alerts, const Formatting &formatting,
                             std::string &body, std::size_t max_request_bytes = logs_max_request_bytes,
                             std::size_t max_entries = logs_max_entries);

} // namespace vigil_datadog
