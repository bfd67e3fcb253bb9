// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/deduplicator.hpp"

using namespace vigil::alerts;

namespace {

constexpr uint64_t second = 1'000'000'000;

Alert alert_at(uint64_t unix_ns, std::string rule = "injection.ptrace_attach", std::string dedup_key = "target-1")
{
    Alert alert;
    alert.time_unix_ns = unix_ns;
    alert.rule = std::move(rule);
    alert.plugin = "injection";
    alert.dedup_key = std::move(dedup_key);
    alert.container = ContainerContext{"c1", "containerd"};
    return alert;
}

} // namespace

TEST_CASE("alerts: dedup admits the first of a key and counts its repeats")
{
    Deduplicator dedup(10 * second, 100);
    CHECK(dedup.admit(alert_at(1000), 0));
    CHECK_FALSE(dedup.admit(alert_at(2000), 1 * second));
    CHECK_FALSE(dedup.admit(alert_at(3000), 2 * second));
    CHECK(dedup.suppressed_total() == 2);
    CHECK(dedup.size() == 1);

    // Another dedup key, another container, a host process, another rule: all distinct findings.
    CHECK(dedup.admit(alert_at(1000, "injection.ptrace_attach", "target-2"), 0));
    auto other_container = alert_at(1000);
    other_container.container->id = "c2";
    CHECK(dedup.admit(other_container, 0));
    auto host = alert_at(1000);
    host.container.reset();
    CHECK(dedup.admit(host, 0));
    CHECK(dedup.admit(alert_at(1000, "injection.proc_mem_write"), 0));
    CHECK(dedup.size() == 5);

    // Nothing has expired yet.
    CHECK(dedup.take_expired(5 * second).empty());
}

TEST_CASE("alerts: dedup without a dedup key tells findings apart by executable")
{
    Deduplicator dedup(10 * second, 100);
    auto first = alert_at(1, "exec.shell", "");
    first.process = ProcessContext{1, 1, 0, 0, "/bin/sh", "sh", {}};
    auto same_exe = first;
    auto other_exe = first;
    other_exe.process->exe = "/bin/bash";
    CHECK(dedup.admit(first, 0));
    CHECK_FALSE(dedup.admit(same_exe, 0));
    CHECK(dedup.admit(other_exe, 0));
}

TEST_CASE("alerts: dedup sends a summary when a window with repeats closes")
{
    Deduplicator dedup(10 * second, 100);
    auto first = alert_at(1000);
    first.summary = "the first alert";
    CHECK(dedup.admit(first, 0));
    CHECK_FALSE(dedup.admit(alert_at(5000), 3 * second));
    CHECK_FALSE(dedup.admit(alert_at(9000), 4 * second));
    // A window without repeats closes silently.
    CHECK(dedup.admit(alert_at(1000, "quiet.rule"), 1 * second));

    CHECK(dedup.take_expired(10 * second - 1).empty());
    auto summaries = dedup.take_expired(10 * second);
    REQUIRE(summaries.size() == 1);
    const auto &summary = summaries[0];
    CHECK(summary.summary == "the first alert");
    REQUIRE(summary.repeat);
    CHECK(summary.repeat->count == 2);
    CHECK(summary.repeat->first_unix_ns == 5000);
    CHECK(summary.repeat->last_unix_ns == 9000);
    CHECK(summary.time_unix_ns == 9000);
    CHECK(dedup.size() == 1);

    CHECK(dedup.take_expired(11 * second).empty()); // the quiet window had nothing to report
    CHECK(dedup.size() == 0);

    // After its window, the key is admitted again and opens a new one.
    CHECK(dedup.admit(alert_at(20000), 12 * second));
}

TEST_CASE("alerts: dedup closes a window that ended before take_expired saw it")
{
    Deduplicator dedup(10 * second, 100);
    CHECK(dedup.admit(alert_at(1), 0));
    CHECK_FALSE(dedup.admit(alert_at(2), 1 * second));
    // The window is over: this one is admitted, and the old window's summary is not lost.
    CHECK(dedup.admit(alert_at(3), 15 * second));
    auto summaries = dedup.take_expired(15 * second);
    REQUIRE(summaries.size() == 1);
    CHECK(summaries[0].repeat->count == 1);
    CHECK(dedup.size() == 1);
}

TEST_CASE("alerts: dedup evicts the oldest window when full and keeps its count")
{
    Deduplicator dedup(60 * second, 2);
    CHECK(dedup.admit(alert_at(1, "rule.a"), 0));
    CHECK_FALSE(dedup.admit(alert_at(2, "rule.a"), 1));
    CHECK_FALSE(dedup.admit(alert_at(3, "rule.a"), 2));
    CHECK(dedup.admit(alert_at(4, "rule.b"), 3));
    // Full: rule.a's window (the oldest) is closed early to make room.
    CHECK(dedup.admit(alert_at(5, "rule.c"), 4));
    CHECK(dedup.size() == 2);

    auto summaries = dedup.take_expired(5);
    REQUIRE(summaries.size() == 1);
    CHECK(summaries[0].rule == "rule.a");
    CHECK(summaries[0].repeat->count == 2);
    CHECK(summaries[0].repeat->last_unix_ns == 3);

    // rule.a comes back as a new finding.
    CHECK(dedup.admit(alert_at(6, "rule.a"), 6));
    CHECK(dedup.size() == 2);
}

TEST_CASE("alerts: dedup take_all flushes every window with repeats")
{
    Deduplicator dedup(60 * second, 10);
    CHECK(dedup.admit(alert_at(1, "rule.a"), 0));
    CHECK_FALSE(dedup.admit(alert_at(2, "rule.a"), 1));
    CHECK(dedup.admit(alert_at(3, "rule.b"), 2));
    CHECK(dedup.admit(alert_at(4, "rule.c"), 3));
    CHECK_FALSE(dedup.admit(alert_at(5, "rule.c"), 4));
    auto summaries = dedup.take_all();
    REQUIRE(summaries.size() == 2);
    CHECK(summaries[0].rule == "rule.a");
    CHECK(summaries[1].rule == "rule.c");
    CHECK(dedup.size() == 0);
}

TEST_CASE("alerts: dedup with a zero window admits everything")
{
    Deduplicator dedup(0, 10);
    for (int index = 0; index < 5; ++index) {
        CHECK(dedup.admit(alert_at(1), 0));
    }
    CHECK(dedup.suppressed_total() == 0);
    CHECK(dedup.size() == 0);
    CHECK(dedup.take_all().empty());
}
