// SPDX-License-Identifier: Apache-2.0
// A request as the sensor holds it: one or more HTTP bodies in a row, each
// marked with where it goes. "logs" mode has one part (the logs array),
// "events" one (the event), "both" the logs array and one event per alert.
//
// Framing, one part after another: a kind byte, the body's length in decimal,
// '\n', the body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil_datadog {

enum class PartKind : char {
    logs = 'L',      // a JSON array for the Logs API
    logs_gzip = 'Z', // the same, gzip-compressed
    event = 'E',     // one Events API object
};

struct Part {
    PartKind kind;
    std::string_view body;
};

void append_part(std::string &request, PartKind kind, std::string_view body);

// The parts of @request, or nothing if it is not in the framing above.
std::optional<std::vector<Part>> split_parts(std::string_view request);

} // namespace vigil_datadog
