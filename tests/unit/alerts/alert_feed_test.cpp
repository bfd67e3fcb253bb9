// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/alert_feed.hpp"

using vigil::alerts::Alert;
using vigil::alerts::AlertFeed;

namespace {

Alert from(std::string plugin)
{
    Alert alert;
    alert.rule = plugin + ".rule";
    alert.plugin = std::move(plugin);
    return alert;
}

} // namespace

TEST_CASE("sensor: the feed to joining detectors takes detectors' alerts only when someone wants them")
{
    AlertFeed feed;
    CHECK_FALSE(feed.wants(from("escape"))); // nobody subscribed
    feed.set_wanted(true);
    CHECK(feed.wants(from("escape")));
    CHECK_FALSE(feed.wants(from("sensor"))); // the sensor's own health alerts
    auto answer = from("sa_abuse");
    answer.answers_raised_alert = true; // raised while handling a handed-on alert: no loops
    CHECK_FALSE(feed.wants(answer));
    auto summary = from("escape");
    summary.repeat.emplace();
    summary.repeat->count = 3;
    CHECK_FALSE(feed.wants(summary)); // a dedup summary is not a new finding
}

TEST_CASE("sensor: the feed hands over in order and counts what does not fit")
{
    AlertFeed feed(2);
    feed.set_wanted(true);
    CHECK(feed.offer(from("a")));
    CHECK(feed.offer(from("b")));
    CHECK_FALSE(feed.offer(from("c")));
    CHECK(feed.dropped() == 1);
    std::vector<Alert> taken;
    feed.take(taken);
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].plugin == "a");
    CHECK(taken[1].plugin == "b");
    CHECK(feed.empty());
    CHECK(feed.offer(from("d"))); // room again after the take
    CHECK(feed.dropped() == 1);
}
