// SPDX-License-Identifier: Apache-2.0
#include "core/util/backoff.hpp"

#include <algorithm>

namespace vigil::util {
namespace {

constexpr std::chrono::milliseconds longest_retry_after{10 * 60 * 1000};

} // namespace

Backoff::Backoff(BackoffLimits limits)
    : limits_(limits), ceiling_(limits.initial),
      random_(static_cast<std::minstd_rand::result_type>(std::random_device{}()))
{
}

std::chrono::milliseconds Backoff::next(std::chrono::milliseconds retry_after)
{
    std::uniform_int_distribution<int64_t> jitter(0, ceiling_.count());
    std::chrono::milliseconds wait{jitter(random_)};
    ceiling_ = std::min(ceiling_ * 2, limits_.maximum);
    return std::max(wait, std::min(retry_after, longest_retry_after));
}

} // namespace vigil::util
