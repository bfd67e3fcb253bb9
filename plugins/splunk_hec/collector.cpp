// SPDX-License-Identifier: Apache-2.0
#include "collector.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include "collector_answer.hpp"

namespace vigil_splunk_hec {

Collector::Collector(vigil::Host host, CollectorSettings settings)
    : host_(host), settings_(std::move(settings)), client_(settings_.http)
{
    event_headers_ = {"Authorization: Splunk " + settings_.token, "Content-Type: application/json"};
    if (settings_.use_ack) {
        event_headers_.push_back("X-Splunk-Request-Channel: " + settings_.channel);
    }
}

Health Collector::health()
{
    auto response = client_.get(settings_.base_url + "/services/collector/health", {});
    if (response.status == 0) {
        return {false, "no answer: " + response.transport_error};
    }
    auto answer = parse_answer(response.body);
    return {response.status == 200 && answer.code.value_or(17) == 17, describe_answer(response.status, response.body)};
}

vigil::SendResult Collector::result_from(vigil_send_result &result)
{
    reason_ = result.reason;
    return {static_cast<vigil_send_status>(result.status), result.retry_after_ms, reason_};
}

vigil::SendResult Collector::send(std::string_view body)
{
    auto response = client_.post(settings_.base_url + "/services/collector/event", body, event_headers_);
    vigil_send_result result{};
    vigil::http::verdict(response, result, vigil::http::RetryPolicy::retry_429_and_5xx_but_501);
    if (response.status != 0 && result.status != VIGIL_SEND_OK) {
        // The collector's own words: its code and text, never the token.
        std::snprintf(result.reason, sizeof(result.reason), "%s",
                      describe_answer(response.status, response.body).c_str());
    }
    if (result.status != VIGIL_SEND_OK || !settings_.use_ack) {
        return result_from(result);
    }
    auto answer = parse_answer(response.body);
    if (!answer.ack_id) {
        if (!warned_no_ack_id_) {
            warned_no_ack_id_ = true;
            // Nothing to wait for: the token has acknowledgement off, so 200 is all there is.
            host_.log(VIGIL_LOG_WARNING, "use_ack is on but the collector's answer has no ackId: indexer "
                                         "acknowledgement is off for this token; counting HTTP 200 as delivered");
        }
        return vigil::SendResult::ok();
    }
    return wait_for_ack(*answer.ack_id);
}

vigil::SendResult Collector::wait_for_ack(int64_t ack_id)
{
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + settings_.ack_timeout;
    const std::string query = "{\"acks\":[" + std::to_string(ack_id) + "]}";
    std::string last_problem = "not yet indexed";
    while (true) {
        auto wait = std::min<Clock::duration>(settings_.ack_poll_interval, deadline - Clock::now());
        if (wait > Clock::duration::zero()) {
            std::this_thread::sleep_for(wait);
        }
        auto response = client_.post(settings_.base_url + "/services/collector/ack", query, event_headers_);
        if (response.status == 200) {
            auto acked = ack_status(response.body, ack_id);
            if (acked.value_or(false)) {
                return vigil::SendResult::ok();
            }
            last_problem = acked ? "not yet indexed" : "the ack answer does not mention it";
        } else if (response.status == 0) {
            last_problem = "ack query got no answer: " + response.transport_error;
        } else {
            last_problem = "ack query: " + describe_answer(response.status, response.body);
        }
        if (Clock::now() >= deadline) {
            break;
        }
    }
    // At-least-once: the events may be indexed after all, and are sent again.
    reason_ = "no indexer acknowledgement for ackId " + std::to_string(ack_id) + " within " +
              std::to_string(settings_.ack_timeout.count()) + " ms (" + last_problem + "); sending the batch again";
    return vigil::SendResult::retry(reason_);
}

} // namespace vigil_splunk_hec
