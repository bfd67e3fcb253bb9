// SPDX-License-Identifier: Apache-2.0
// How long an output waits before resending a request it was asked to retry:
// exponential backoff with full jitter, so that many sensors whose receiver
// failed at the same moment do not all come back at the same moment.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace vigil::util {

struct BackoffLimits {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds maximum{30'000};
};

// Not thread-safe: each output's delivery thread owns one.
class Backoff {
public:
    explicit Backoff(BackoffLimits limits = {});

    // The wait before the next attempt: uniformly random up to the current
    // ceiling, but never less than @retry_after (what the receiver asked for,
    // itself capped at ten minutes so a bogus value cannot stall the output
    // for good). The ceiling then doubles, up to the maximum.
    std::chrono::milliseconds next(std::chrono::milliseconds retry_after = std::chrono::milliseconds{0});

    // After a success: the next failure starts from the initial ceiling again.
    void reset() { ceiling_ = limits_.initial; }

private:
    BackoffLimits limits_;
    std::chrono::milliseconds ceiling_;
    std::minstd_rand random_;
};

} // namespace vigil::util
