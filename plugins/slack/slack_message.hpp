// SPDX-License-Identifier: Apache-2.0
// One alert as one Slack message: a `text` fallback (notifications, clients
// without blocks) and `blocks` for people, within Slack's limits.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil_slack {

// Slack's documented limits, in characters; counted here in bytes, which is stricter.
inline constexpr std::size_t max_section_text = 3000;
inline constexpr std::size_t max_field_text = 2000;
inline constexpr std::size_t max_header_text = 150;
inline constexpr std::size_t max_fallback_text = 3000;
inline constexpr std::size_t max_fields = 10;
inline constexpr std::size_t max_blocks = 50;

// Appends @text escaped for mrkdwn (&, <, >) and as JSON, quotes included,
// cut with an ellipsis so that the escaped text is at most @limit bytes.
void append_mrkdwn(std::string &out, std::string_view text, std::size_t limit);

// Appends @text as a JSON string of at most @limit bytes (before JSON escaping), cut with an ellipsis.
void append_plain(std::string &out, std::string_view text, std::size_t limit);

// The whole request body for one alert.
void append_message(std::string &out, const vigil_alert &alert);

} // namespace vigil_slack
