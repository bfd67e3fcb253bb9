// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/api_health.hpp"

#include <optional>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace vigil::kubernetes {
namespace {

// The message of a Status body ("pods is forbidden: User ... cannot list ..."), shortened.
std::string status_message(const std::string &body)
{
    constexpr std::size_t longest = 300;
    auto object = nlohmann::json::parse(body, nullptr, false);
    std::string message;
    if (object.is_object() && object.contains("message") && object["message"].is_string()) {
        message = object["message"].get<std::string>();
    }
    return message.size() <= longest ? message : message.substr(0, longest) + "...";
}

std::string with_name(long status)
{
    std::string name = http_status_name(status);
    return std::to_string(status) + (name.empty() ? "" : " " + name);
}

} // namespace

const char *http_status_name(long status)
{
    switch (status) {
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    default:
        return "";
    }
}

std::string ApiStatus::text() const
{
    switch (state) {
    case State::connecting:
        return "connecting to " + server;
    case State::ok:
        return "ok";
    case State::refused:
        return std::string(http_status == 401 ? "unauthorized " : "forbidden ") + std::to_string(http_status) +
               " from " + server;
    case State::unreachable:
        return "unreachable " + server + (detail.empty() ? "" : ": " + detail);
    case State::failing:
        return "HTTP " + std::to_string(http_status) + " from " + server;
    }
    return "unknown";
}

ApiStatus api_status_of(const std::string &server, const std::expected<ApiResponse, std::string> &response)
{
    ApiStatus status;
    status.server = server;
    if (!response) {
        status.state = ApiStatus::State::unreachable;
        status.detail = response.error();
        return status;
    }
    status.http_status = response->status;
    if (response->status >= 200 && response->status < 300) {
        status.state = ApiStatus::State::ok;
        return status;
    }
    status.state =
        response->status == 401 || response->status == 403 ? ApiStatus::State::refused : ApiStatus::State::failing;
    status.detail = status_message(response->body);
    return status;
}

ApiHealth::ApiHealth(std::string server, std::string origin, Clock::duration reminder_interval)
    : server_(std::move(server)), origin_(std::move(origin)), refusal_log_(reminder_interval)
{
    status_.server = server_;
}

void ApiHealth::record(const std::expected<ApiResponse, std::string> &response, const std::string &what,
                       Clock::time_point now)
{
    auto status = api_status_of(server_, response);
    // What to log is decided under the lock, and logged after it: a reader of status() never waits for the log.
    std::optional<uint64_t> suppressed;
    bool changed = false;
    uint64_t refusals = 0;
    bool accepted_again = false;
    {
        std::lock_guard lock(mutex_);
        status_ = status;
        if (status.state == ApiStatus::State::refused) {
            ++refusals_;
            // Until an accepted answer, an outage in between does not start a new episode.
            changed = refused_with_ != status.http_status;
            refused_with_ = status.http_status;
            if (changed) {
                refusal_log_.restart(); // a new episode is logged at once
            }
            suppressed = refusal_log_.allow(now);
        } else if (status.state == ApiStatus::State::ok) {
            accepted_again = refused_with_ != 0;
            refused_with_ = 0;
        }
        refusals = refusals_;
        if (status.state == ApiStatus::State::ok) {
            refusals_ = 0;
        }
    }
    if (status.state == ApiStatus::State::refused) {
        if (!suppressed) {
            return;
        }
        if (changed) {
            spdlog::warn("kubernetes: the API server {} refused the sensor's credentials ({}): HTTP {} to {}{}{}; "
                         "alerts go out without pod metadata (k8s.source \"unresolved\") until it accepts them{}",
                         server_, origin_, with_name(status.http_status), what, status.detail.empty() ? "" : ": ",
                         status.detail,
                         status.http_status == 403 ? " (the sensor's account needs get, list and watch on pods, "
                                                     "and get on replicasets and jobs)"
                                                   : "");
        } else {
            spdlog::warn("kubernetes: the API server {} still refuses the sensor's credentials: HTTP {} ({} refused "
                         "requests, {} since the last line)",
                         server_, with_name(status.http_status), refusals, *suppressed + 1);
        }
    } else if (accepted_again) {
        spdlog::info("kubernetes: the API server {} accepts the sensor's credentials again (after {} refused "
                     "requests)",
                     server_, refusals);
    }
}

ApiStatus ApiHealth::status() const
{
    std::lock_guard lock(mutex_);
    return status_;
}

uint64_t ApiHealth::refusals() const
{
    std::lock_guard lock(mutex_);
    return refusals_;
}

} // namespace vigil::kubernetes
