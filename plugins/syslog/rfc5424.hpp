// SPDX-License-Identifier: Apache-2.0
// One alert as one RFC 5424 syslog message: the header, vigil's
// STRUCTURED-DATA element and the MSG, kept within a size bound by cutting
// the MSG (RFC 5424 section 6.1), never by dropping the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

namespace vigil_syslog {

// The SD-ID of vigil's element: a private name, "vigil@<enterprise number>".
// 32473 is the number IANA reserves for examples (RFC 5612); vigil has no
// Private Enterprise Number of its own.
inline constexpr std::string_view sd_id = "vigil@32473";

// The smallest size bound accepted: every syslog receiver takes 480 octets (RFC 5426).
inline constexpr std::size_t min_message_bytes = 480;

enum class MessageBody { summary, json };

struct MessageSettings {
    int facility = 16; // local0
    std::string app_name = "vigil";
    std::string procid = "-"; // the sensor's pid
    MessageBody body = MessageBody::summary;
    std::size_t max_bytes = 8192; // the whole message, at least min_message_bytes
};

// The syslog severity of a vigil severity: critical 2, high 3, medium 4, low 5, info 6.
int syslog_severity(uint32_t severity);

// Appends the message for @alert to @out; returns true when its MSG had to be
// cut to stay within settings.max_bytes.
bool append_message(std::string &out, const vigil_alert &alert, const MessageSettings &settings);

// Helpers, exposed for the tests.
// "YYYY-MM-DDThh:mm:ss.ffffffZ": RFC 3339, UTC, the six fraction digits RFC 5424 allows.
void append_timestamp(std::string &out, uint64_t unix_ns);
// A header field: printable US-ASCII only (others become '_'), at most @limit, "-" when empty.
std::string header_field(std::string_view value, std::size_t limit);
// A PARAM-VALUE: '"', '\' and ']' escaped with '\', invalid UTF-8 replaced by U+FFFD.
void append_param_value(std::string &out, std::string_view value);
// @value with every invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view value);
// The longest prefix of valid UTF-8 @value that is at most @limit bytes and ends on a character boundary.
std::size_t utf8_prefix(std::string_view value, std::size_t limit);

} // namespace vigil_syslog
