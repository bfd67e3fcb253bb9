// SPDX-License-Identifier: Apache-2.0
// Parsers of cpu.stat, schedstat, stat and /proc/<pid>/cgroup (cpu_files.cpp).
#include <doctest/doctest.h>

#include "cpu_files.hpp"

using namespace vigil_cryptomining;

TEST_CASE("cpu.stat: usage_usec")
{
    CHECK(parse_cpu_stat_usage("usage_usec 4712964008\nuser_usec 4256843788\nsystem_usec 1\n") == 4712964008u);
    CHECK(parse_cpu_stat_usage("user_usec 5\nusage_usec 7\n") == 7u);
    CHECK_FALSE(parse_cpu_stat_usage("user_usec 5\n"));
    CHECK_FALSE(parse_cpu_stat_usage("usage_usec x\n"));
}

TEST_CASE("schedstat: the run time first")
{
    CHECK(parse_schedstat_runtime("2033456789 3324461 1\n") == 2033456789u);
    CHECK_FALSE(parse_schedstat_runtime(""));
}

TEST_CASE("stat: utime and stime, after a command name with spaces and parentheses")
{
    const char *stat = "1234 (my (odd) cmd) R 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 100 0 0";
    CHECK(parse_stat_cpu_ticks(stat) == 300u);
    CHECK_FALSE(parse_stat_cpu_ticks("1234 (x) R 1"));
    CHECK_FALSE(parse_stat_cpu_ticks("garbage"));
}

TEST_CASE("/proc/<pid>/cgroup: the unified hierarchy's line")
{
    CHECK(parse_unified_cgroup("4:memory:/x\n0::/user.slice/session-1.scope\n") == "/user.slice/session-1.scope");
    CHECK_FALSE(parse_unified_cgroup("4:memory:/x\n"));
}
