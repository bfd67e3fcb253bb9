// SPDX-License-Identifier: Apache-2.0
// The rule table and the pure decisions, without the plugin around them.
#include <set>
#include <string>

#include <doctest/doctest.h>

#include "cgroups_in_setup.hpp"
#include "paths.hpp"
#include "rules.hpp"
#include "sequences.hpp"

using namespace vigil_escape;

TEST_CASE("every rule has a unique escape.* id and T1611 or a module technique")
{
    std::set<std::string> seen;
    for (const auto &info : rule_table.all()) {
        std::string id = info.id;
        CHECK(id.starts_with("escape."));
        CHECK(seen.insert(id).second);
        CHECK(rule_table.find(id) == info.rule);
        CHECK(info.failed_severity <= info.severity);
        REQUIRE_FALSE(info.techniques.empty());
    }
    CHECK(seen.size() == rule_count);
    CHECK_FALSE(rule_table.find("escape.nothing"));
}

TEST_CASE("/proc/<pid>/root paths")
{
    CHECK(proc_root_pid("/proc/1/root") == 1u);
    CHECK(proc_root_pid("/proc/4242/root/etc/shadow") == 4242u);
    CHECK_FALSE(proc_root_pid("/proc/self/root"));
    CHECK_FALSE(proc_root_pid("/proc/thread-self/root/x"));
    CHECK_FALSE(proc_root_pid("/proc/12/rootfs"));
    CHECK_FALSE(proc_root_pid("/proc/12/cwd"));
    CHECK_FALSE(proc_root_pid("/tmp/proc/12/root"));
    CHECK_FALSE(proc_root_pid("/proc/99999999999/root"));
}

TEST_CASE("kernel device numbers")
{
    CHECK(kernel_device((254u << 20) | 3) == Device{254, 3});
}

TEST_CASE("namespace flag names")
{
    std::array<char, 64> storage{};
    CHECK(namespace_flag_names(0x10020000, storage) == "CLONE_NEWNS|CLONE_NEWUSER");
    CHECK(namespace_flag_names(0, storage) == "0");
    std::array<char, 8> small{};
    CHECK(namespace_flag_names(0x10020000, small) == "CLONE_N");
}

TEST_CASE("a user namespace tracker is bounded and forgets what is old")
{
    UsernsTracker tracker(2);
    tracker.remember({1, 100, 0, 0, 0});
    tracker.remember({2, 200, 0, 0, 0});
    tracker.remember({3, 300, 0, 0, 0}); // pushes out the oldest, 1
    CHECK(tracker.size() == 2);
    CHECK_FALSE(tracker.find(1, 300, 1000));
    CHECK(tracker.find(2, 300, 1000));
    CHECK_FALSE(tracker.find(2, 1300, 1000)); // outside the window
    tracker.expire(1250, 1000);
    CHECK(tracker.size() == 1);
}

TEST_CASE("pending kernel loads are bounded and found by thread")
{
    PendingLoads pending(1);
    PendingLoad first;
    first.seen_ns = 10;
    first.attempt.header.tid = 7;
    PendingLoad second = first;
    second.attempt.header.tid = 8;
    CHECK_FALSE(pending.add(first));
    auto pushed_out = pending.add(second);
    REQUIRE(pushed_out);
    CHECK(pushed_out->attempt.header.tid == 7);
    CHECK_FALSE(pending.take(7));
    CHECK(pending.take(8));
    CHECK(pending.size() == 0);
}

TEST_CASE("cgroups in set-up: until an exec in a mount namespace other than the host's, and bounded")
{
    vigil_escape::CgroupsInSetup cgroups(2);
    CHECK_FALSE(cgroups.exec_is_runtime(7, true)); // never seen created: not the runtime
    cgroups.created(7);
    CHECK(cgroups.exec_is_runtime(7, true));
    CHECK(cgroups.exec_is_runtime(7, true));
    CHECK_FALSE(cgroups.exec_is_runtime(7, false)); // the entry point
    CHECK_FALSE(cgroups.exec_is_runtime(7, true));
    cgroups.created(1);
    cgroups.created(2);
    cgroups.created(3); // pushes out 1, the oldest
    CHECK_FALSE(cgroups.contains(1));
    CHECK(cgroups.contains(2));
    CHECK(cgroups.contains(3));
}
