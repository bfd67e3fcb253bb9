// SPDX-License-Identifier: Apache-2.0
// Posting to an incoming webhook, one message per request, no faster than the
// webhook's rate (about one a second), and its answer as the sensor's verdict.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <vigil/http_client.hpp>
#include <vigil/output.hpp>

namespace vigil_slack {

// "https://hooks.slack.com/…": what may be logged of a webhook URL (its path is the secret).
std::string loggable_webhook(const std::string &url);

class Webhook {
public:
    Webhook(std::string url, vigil::http::Settings settings, std::chrono::milliseconds min_interval);

    // The result's reason lives until the next call.
    vigil::SendResult send(std::string_view message);

private:
    void pace();

    std::string url_; // the secret
    vigil::http::Client client_;
    std::chrono::milliseconds min_interval_;
    std::optional<std::chrono::steady_clock::time_point> last_post_;
    std::string reason_;
};

} // namespace vigil_slack
