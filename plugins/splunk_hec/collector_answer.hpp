// SPDX-License-Identifier: Apache-2.0
// What the collector answers: {"text","code"} (and "ackId" when indexer
// acknowledgement is on, "invalid-event-number" for a bad event of a batch),
// and the ack endpoint's {"acks":{"N":true|false}}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil_splunk_hec {

struct CollectorAnswer {
    std::optional<int64_t> code;
    std::string text;
    std::optional<int64_t> ack_id;
    std::optional<int64_t> invalid_event_number;
};

CollectorAnswer parse_answer(std::string_view body);

// "HTTP 400, code 7: Incorrect index" (and the failing event when named), or
// the start of the body when it is not the collector's JSON.
std::string describe_answer(long status, std::string_view body);

// Whether the ack answer reports @ack_id as indexed; nullopt if it does not mention it.
std::optional<bool> ack_status(std::string_view body, int64_t ack_id);

} // namespace vigil_splunk_hec
