// SPDX-License-Identifier: Apache-2.0
#include "collector_answer.hpp"

#include <vigil/json_text.hpp>

namespace vigil_splunk_hec {

CollectorAnswer parse_answer(std::string_view body)
{
    CollectorAnswer answer;
    answer.code = vigil::json::integer_at(body, {"code"});
    answer.text = vigil::json::string_at(body, {"text"}).value_or("");
    answer.ack_id = vigil::json::integer_at(body, {"ackId"});
    answer.invalid_event_number = vigil::json::integer_at(body, {"invalid-event-number"});
    return answer;
}

std::string describe_answer(long status, std::string_view body)
{
    std::string description = "HTTP " + std::to_string(status);
    auto answer = parse_answer(body);
    if (!answer.code) {
        // Not the collector's JSON (a proxy in between, say): its first words.
        std::string start(vigil::json::utf8_prefix(body, 160));
        for (char &c : start) {
            if (static_cast<unsigned char>(c) < 0x20) {
                c = ' ';
            }
        }
        return start.empty() ? description : description + ": " + start;
    }
    description += ", code " + std::to_string(*answer.code) + ": " + answer.text;
    if (answer.invalid_event_number) {
        description += " (event " + std::to_string(*answer.invalid_event_number) + " of the batch)";
    }
    return description;
}

std::optional<bool> ack_status(std::string_view body, int64_t ack_id)
{
    const std::string key = std::to_string(ack_id);
    return vigil::json::bool_at(body, {"acks", key});
}

} // namespace vigil_splunk_hec
