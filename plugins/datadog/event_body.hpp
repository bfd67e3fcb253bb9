// SPDX-License-Identifier: Apache-2.0
// The Events API body for one alert (POST /api/v1/events takes one event).
#pragma once

#include <cstddef>
#include <string>

#include "formatting.hpp"

namespace vigil_datadog {

inline constexpr std::size_t event_max_title_bytes = 100;
inline constexpr std::size_t event_max_text_chars = 4000;
inline constexpr std::size_t event_max_aggregation_key = 100;

// critical and high: "error"; medium: "warning"; low and info: "info".
std::string_view event_alert_type(uint32_t severity);

// The rule and the container (or "host" and the node): repeats of a finding
// roll up into one event in Datadog's stream. At most 100 characters.
std::string event_aggregation_key(const vigil_alert &alert, const Formatting &formatting);

// The readable text: summary, then rule, severity, ATT&CK, process,
// container, pod and node, then the alert's JSON; cut at 4000 characters.
std::string event_text(const vigil_alert &alert);

// {"title","text","alert_type","priority","tags","aggregation_key","source_type_name","host","date_happened"}
std::string event_body(const vigil_alert &alert, const Formatting &formatting);

} // namespace vigil_datadog
