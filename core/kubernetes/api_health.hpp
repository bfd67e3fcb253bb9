// SPDX-License-Identifier: Apache-2.0
// How the API server answers the pod watcher: fine, refusing the sensor's
// credentials (401/403), out of reach, or failing otherwise. Written by the
// watcher's thread after each list and watch; read from any thread for the
// statistics line. A refusal is what leaves every alert "unresolved", so it
// is logged as a warning: at once when it starts (or its status changes),
// then at most once per reminder interval with the count held back, and once
// more, at info, when the server takes the credentials again.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <mutex>
#include <string>

#include "core/kubernetes/api_client.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::kubernetes {

struct ApiStatus {
    enum class State : uint8_t {
        connecting,  // nothing answered yet
        ok,          // the last request was answered 2xx
        refused,     // 401 or 403: the credentials were refused
        unreachable, // no HTTP answer (connect, TLS, timeout)
        failing,     // another HTTP status (5xx, 429, ...)
    };
    State state = State::connecting;
    long http_status = 0; // refused and failing: the status
    std::string server;
    std::string detail; // unreachable: the transfer's error; refused and failing: the Status message, if any

    // One short phrase: "ok", "connecting to https://h:6443", "unauthorized 401 from https://h:6443",
    // "forbidden 403 from https://h:6443", "unreachable https://h:6443: <error>", "HTTP 503 from https://h:6443".
    std::string text() const;
};

// What @response says about the server, for one request.
ApiStatus api_status_of(const std::string &server, const std::expected<ApiResponse, std::string> &response);

// "Unauthorized" for 401, "Forbidden" for 403, "" for a status without a name here.
const char *http_status_name(long status);

class ApiHealth {
public:
    using Clock = std::chrono::steady_clock;

    // @origin says where the credentials come from ("in-cluster", "kubeconfig <path>", ...).
    ApiHealth(std::string server, std::string origin, Clock::duration reminder_interval = std::chrono::minutes{5});

    // The outcome of one list or watch request (@what: "list pods of node n1", say). Logs as described above.
    void record(const std::expected<ApiResponse, std::string> &response, const std::string &what,
                Clock::time_point now = Clock::now());

    // Any thread.
    ApiStatus status() const;
    // How many answers were refusals since the last accepted one. Any thread.
    uint64_t refusals() const;

private:
    const std::string server_;
    const std::string origin_;
    mutable std::mutex mutex_;
    ApiStatus status_;
    long refused_with_ = 0; // the status of the refusal episode in progress; 0 once an answer was accepted
    uint64_t refusals_ = 0;
    util::LogThrottle refusal_log_; // restarted with each new refusal episode
};

} // namespace vigil::kubernetes
