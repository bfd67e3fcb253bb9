// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <chrono>

#include "core/util/backoff.hpp"

using namespace std::chrono_literals;
using vigil::util::Backoff;
using vigil::util::BackoffLimits;

TEST_CASE("util: backoff grows with full jitter and honours retry_after")
{
    Backoff backoff(BackoffLimits{100ms, 800ms});
    for (auto ceiling : {100ms, 200ms, 400ms, 800ms, 800ms, 800ms}) {
        auto wait = backoff.next();
        CHECK(wait >= 0ms);
        CHECK(wait <= ceiling);
    }
    CHECK(backoff.next(5000ms) == 5000ms);
    backoff.reset();
    CHECK(backoff.next() <= 100ms);
    // A receiver asking for hours is capped at ten minutes.
    CHECK(backoff.next(std::chrono::hours{5}) == 10min);
}
