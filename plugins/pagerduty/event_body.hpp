// SPDX-License-Identifier: Apache-2.0
// The PagerDuty Events API v2 trigger for one alert. The routing key is not
// in it: it is added when sending (see with_routing_key), so the secret never
// sits in a request the sensor holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil_pagerduty {

inline constexpr std::size_t max_dedup_key = 255;
inline constexpr std::size_t max_summary = 1024;
inline constexpr std::size_t max_body_bytes = 512 * 1024;
inline constexpr std::size_t routing_key_length = 32;

// critical -> critical, high -> error, medium -> warning, low and info -> info.
std::string_view pagerduty_severity(uint32_t severity);

// The same for every repeat of a finding, so that repeats update one
// incident: the rule, the container (or the node and host pid) and the
// executable. At most 255 characters.
std::string dedup_key(const vigil_alert &alert, std::string_view fallback_node);

// The node for a host process; "<node>/<namespace>/<pod>" or "<node>/<container id>" in a container.
std::string event_source(const vigil_alert &alert, std::string_view fallback_node);

// "<summary> (<rule>, <where>)", at most 1024 characters, cut between UTF-8 characters.
std::string event_summary(const vigil_alert &alert, std::string_view fallback_node);

// {"event_action":"trigger","dedup_key","client","payload":{"summary","source",
// "severity","timestamp","component","group","class","custom_details"}}; the
// alert's JSON is custom_details unless the event would pass 512 KB, when a
// shorter object stands in for it.
std::string event_body(const vigil_alert &alert, std::string_view fallback_node,
                       std::size_t max_bytes = max_body_bytes);

// @body with "routing_key" as its first member.
std::string with_routing_key(std::string_view body, std::string_view routing_key);

} // namespace vigil_pagerduty
