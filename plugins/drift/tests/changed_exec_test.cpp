// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstring>

#include "drift_alerts.hpp"

using namespace vigil_drift;

namespace {

constexpr uint64_t second = 1'000'000'000ull;

vigil_container container_started_at(uint64_t started_boot_ns)
{
    vigil_container container{};
    container.struct_size = sizeof(container);
    container.started_ns = started_boot_ns;
    return container;
}

drift_changed_exec record(uint32_t flags, uint64_t change_time_unix_ns)
{
    drift_changed_exec changed{};
    changed.flags = flags;
    changed.change_time_unix_ns = change_time_unix_ns;
    return changed;
}

} // namespace

TEST_CASE("dropped binaries: the kernel side's verdicts stand")
{
    auto container = container_started_at(0);
    auto upper = judge_changed_exec(record(DRIFT_IN_UPPER_LAYER, 0), container, 100 * second, 1000 * second);
    REQUIRE(upper);
    CHECK(std::strstr(upper->reason, "upper layer") != nullptr);
    CHECK(judge_changed_exec(record(DRIFT_CHANGED_AFTER_START, 0), container, 100 * second, 1000 * second));
    CHECK_FALSE(judge_changed_exec(record(0, 0), container, 100 * second, 1000 * second));
}

TEST_CASE("dropped binaries: without the kernel's start, the container's start decides")
{
    // Booted 100 s ago at unix 900 s; the container started at boot time 40 s, unix 940 s.
    auto container = container_started_at(40 * second);
    auto now_boot = 100 * second;
    auto now_unix = 1000 * second;
    CHECK(judge_changed_exec(record(DRIFT_START_UNKNOWN, 950 * second), container, now_boot, now_unix));
    CHECK_FALSE(judge_changed_exec(record(DRIFT_START_UNKNOWN, 930 * second), container, now_boot, now_unix));
    // Unknown start: nothing is raised rather than a guess.
    auto unknown = container_started_at(0);
    CHECK_FALSE(judge_changed_exec(record(DRIFT_START_UNKNOWN, 950 * second), unknown, now_boot, now_unix));
    // A host older than ABI 1.7 gives no start at all.
    auto old_host = container_started_at(40 * second);
    old_host.struct_size = VIGIL_CONTAINER_SIZE_1_0;
    CHECK_FALSE(judge_changed_exec(record(DRIFT_START_UNKNOWN, 950 * second), old_host, now_boot, now_unix));
}
