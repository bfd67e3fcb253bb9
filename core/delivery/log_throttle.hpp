// Keeps a failure that repeats for every alert (an output rejecting them all,
// say) from flooding the sensor's log: at most one line per interval, and the
// next line that does go out says how many were held back.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace vigil::delivery {

// Not thread-safe: owned by one delivery thread.
class LogThrottle {
public:
    explicit LogThrottle(std::chrono::steady_clock::duration interval = std::chrono::seconds{10})
        : interval_(interval)
    {
    }

    // When a line may be logged now: how many were suppressed since the last
    // one. Otherwise nullopt, and this one is counted as suppressed.
    std::optional<uint64_t> allow(std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now())
    {
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

private:
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point last_logged_{};
    bool logged_once_ = false;
    uint64_t suppressed_ = 0;
};

} // namespace vigil::delivery
