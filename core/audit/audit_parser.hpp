// SPDX-License-Identifier: Apache-2.0
// Audit events from text: one Event (a log line) or an EventList (a webhook
// batch). Never throws: bad input comes back as a ParseFailure, counted by the
// caller and skipped, so that nothing an API server or a file holds can stop
// the sensor.
#pragma once

#include <expected>
#include <string_view>
#include <vector>

#include "core/audit/audit_event.hpp"
#include "core/audit/parse_failure.hpp"

namespace vigil::audit {

// Deeper than any audit event nests (requestObject included): refused before
// parsing, since writing out or freeing a deeper document recurses.
inline constexpr std::size_t max_json_depth = 128;

// One audit.k8s.io/v1 Event, e.g. a line of the log backend; raw_json is @text as given.
std::expected<AuditEvent, ParseFailure> parse_event(std::string_view text, vigil_audit_source source);

// A webhook batch: the body as a whole is refused (not JSON, not an EventList)
// or its items are parsed one by one; a bad item is in item_failures and the
// others still count.
struct ParsedBatch {
    std::vector<AuditEvent> events;
    std::vector<ParseFailure> item_failures;
};
std::expected<ParsedBatch, ParseFailure> parse_event_list(std::string_view text, vigil_audit_source source);

} // namespace vigil::audit
