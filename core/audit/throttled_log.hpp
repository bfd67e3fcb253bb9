// A log line that may repeat for every request or line (an unauthenticated
// client retrying, a file of garbage) at most once per interval, with the
// count of those held back. Thread-safe, unlike delivery::LogThrottle, which
// it wraps: the webhook's threads share one per kind of problem.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "core/delivery/log_throttle.hpp"

namespace vigil::audit {

class ThrottledLog {
public:
    explicit ThrottledLog(std::chrono::steady_clock::duration interval = std::chrono::seconds{10})
        : throttle_(interval)
    {
    }

    // How many were held back since the last line when one may be logged now; otherwise nullopt.
    std::optional<uint64_t> allow()
    {
        std::lock_guard lock(mutex_);
        return throttle_.allow();
    }

private:
    std::mutex mutex_;
    delivery::LogThrottle throttle_;
};

} // namespace vigil::audit
