// SPDX-License-Identifier: Apache-2.0
// Keeps a failure that repeats for every alert, request or line (an output
// rejecting them all, an unauthenticated client retrying, a file of garbage)
// from flooding the sensor's log: at most one line per interval, and the next
// line that does go out says how many were held back.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace vigil::util {

// Thread-safe: the webhook's threads share one per kind of problem. The lock
// is only taken on a failure path, never per event.
class LogThrottle {
public:
    explicit LogThrottle(std::chrono::steady_clock::duration interval = std::chrono::seconds{10}) : interval_(interval)
    {
    }

    // When a line may be logged now: how many were suppressed since the last
    // one. Otherwise nullopt, and this one is counted as suppressed.
    std::optional<uint64_t> allow(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now())
    {
        std::lock_guard lock(mutex_);
        if (logged_once_ && now - last_logged_ < interval_) {
            ++suppressed_;
            return std::nullopt;
        }
        logged_once_ = true;
        last_logged_ = now;
        auto suppressed = suppressed_;
        suppressed_ = 0;
        return suppressed;
    }

    // Starts over, as if nothing was logged yet: the next line goes out at once.
    void restart()
    {
        std::lock_guard lock(mutex_);
        logged_once_ = false;
        suppressed_ = 0;
    }

private:
    std::mutex mutex_;
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point last_logged_{};
    bool logged_once_ = false;
    uint64_t suppressed_ = 0;
};

} // namespace vigil::util
