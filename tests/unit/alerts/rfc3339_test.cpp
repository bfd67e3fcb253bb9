// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/rfc3339.hpp"

using vigil::alerts::format_rfc3339;

TEST_CASE("alerts: RFC 3339 time has nine fractional digits, in UTC")
{
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00.000000000Z");
    CHECK(format_rfc3339(1795280400ULL * 1'000'000'000 + 123456789) == "2026-11-21T17:00:00.123456789Z");
    CHECK(format_rfc3339(946684800ULL * 1'000'000'000 + 1) == "2000-01-01T00:00:00.000000001Z");
    // A leap day, and the last nanosecond of a day.
    CHECK(format_rfc3339(1709251199ULL * 1'000'000'000 + 999999999) == "2024-02-29T23:59:59.999999999Z");
    // 2100 is not a leap year.
    CHECK(format_rfc3339(4107542400ULL * 1'000'000'000) == "2100-03-01T00:00:00.000000000Z");
    // The largest uint64 does not overflow.
    CHECK(format_rfc3339(18446744073709551615ULL) == "2554-07-21T23:34:33.709551615Z");
}
