// SPDX-License-Identifier: Apache-2.0
#include "webhook.hpp"

#include <thread>

namespace vigil_slack {

std::string loggable_webhook(const std::string &url)
{
    auto scheme = url.find("://");
    auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return url.substr(0, path) + "/\xE2\x80\xA6";
}

Webhook::Webhook(std::string url, vigil::http::Settings settings, std::chrono::milliseconds min_interval)
    : url_(std::move(url)), client_(std::move(settings)), min_interval_(min_interval)
{
}

void Webhook::pace()
{
    // Waiting here is cheaper than a 429: the delivery thread is the output's own.
    if (last_post_) {
        auto next = *last_post_ + min_interval_;
        auto now = std::chrono::steady_clock::now();
        if (next > now) {
            std::this_thread::sleep_for(next - now);
        }
    }
    last_post_ = std::chrono::steady_clock::now();
}

vigil::SendResult Webhook::send(std::string_view message)
{
    pace();
    auto response = client_.post(url_, message, {"Content-Type: application/json"});
    vigil_send_result result{};
    // 429 and 5xx retried (after Retry-After); 400 invalid_payload, 403, 404
    // channel_not_found, 410 channel_is_archived rejected with Slack's word for it.
    vigil::http::verdict(response, result, vigil::http::RetryPolicy::retry_429_and_5xx);
    reason_ = result.reason;
    return {static_cast<vigil_send_status>(result.status), result.retry_after_ms, reason_};
}

} // namespace vigil_slack
