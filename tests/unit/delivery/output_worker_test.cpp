// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <chrono>

#include "core/delivery/output_worker.hpp"
#include "tests/unit/delivery/fake_output.hpp"

using namespace std::chrono_literals;
using vigil::delivery::OutputWorker;
using vigil::testing::eventually;
using vigil::testing::FakeOutput;
using vigil::testing::rendered_alert;
using vigil::util::BackoffLimits;

namespace {

// Short delays, so that retry tests take milliseconds.
constexpr BackoffLimits quick_backoff{1ms, 4ms};

} // namespace

TEST_CASE("delivery: a retried request is resent until delivered, in order and once")
{
    FakeOutput output;
    output.script({VIGIL_SEND_RETRY, VIGIL_SEND_RETRY, VIGIL_SEND_RETRY});
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 100, quick_backoff);
    for (const char *rule : {"a", "b", "c", "d", "e"}) {
        CHECK(worker.enqueue(rendered_alert(rule)));
    }
    CHECK(eventually([&] { return worker.statistics().delivered == 5; }));
    worker.stop(1s);

    CHECK(output.delivered_rules() == std::vector<std::string>{"a", "b", "c", "d", "e"});
    auto statistics = worker.statistics();
    CHECK(statistics.enqueued == 5);
    CHECK(statistics.delivered == 5);
    CHECK(statistics.retried_sends == 3);
    CHECK(statistics.rejected == 0);
    CHECK(statistics.dropped_queue_full == 0);
    CHECK(statistics.dropped_at_stop == 0);
}

TEST_CASE("delivery: retry_after_ms from the output is waited at least")
{
    FakeOutput output;
    output.script({VIGIL_SEND_RETRY}, 200);
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 10, quick_backoff);
    auto start = std::chrono::steady_clock::now();
    CHECK(worker.enqueue(rendered_alert("a")));
    CHECK(eventually([&] { return worker.statistics().delivered == 1; }));
    CHECK(std::chrono::steady_clock::now() - start >= 200ms);
    worker.stop(1s);
}

TEST_CASE("delivery: a rejected request is counted and not retried")
{
    FakeOutput output;
    output.script({VIGIL_SEND_REJECT});
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 100, quick_backoff);
    CHECK(worker.enqueue(rendered_alert("refused")));
    CHECK(eventually([&] { return worker.statistics().rejected == 1; }));
    CHECK(worker.enqueue(rendered_alert("accepted")));
    CHECK(eventually([&] { return worker.statistics().delivered == 1; }));
    worker.stop(1s);

    CHECK(output.sends() == 2);
    CHECK(output.delivered_rules() == std::vector<std::string>{"accepted"});
    CHECK(worker.statistics().retried_sends == 0);
}

TEST_CASE("delivery: a format error drops only the alert it stopped at")
{
    FakeOutput output;
    output.fail_format_for("poison");
    output.hold_sends();
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 100, quick_backoff);
    CHECK(worker.enqueue(rendered_alert("first")));
    REQUIRE(eventually([&] { return output.sends() == 1; }));
    // Queued behind a held send, so that "poison" heads the next batch.
    CHECK(worker.enqueue(rendered_alert("poison")));
    CHECK(worker.enqueue(rendered_alert("after")));
    output.release_sends();
    CHECK(eventually([&] { return worker.statistics().delivered == 2; }));
    worker.stop(1s);

    CHECK(output.delivered_rules() == std::vector<std::string>{"first", "after"});
    CHECK(worker.statistics().rejected == 1);
}

TEST_CASE("delivery: a full queue refuses new alerts and counts them")
{
    FakeOutput output;
    output.hold_sends();
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 3, quick_backoff);
    CHECK(worker.enqueue(rendered_alert("a")));
    REQUIRE(eventually([&] { return output.sends() == 1; }));
    // "a" is being sent and still takes its place in the queue.
    CHECK(worker.enqueue(rendered_alert("b")));
    CHECK(worker.enqueue(rendered_alert("c")));
    CHECK_FALSE(worker.enqueue(rendered_alert("d")));
    CHECK_FALSE(worker.enqueue(rendered_alert("e")));
    auto statistics = worker.statistics();
    CHECK(statistics.enqueued == 3);
    CHECK(statistics.dropped_queue_full == 2);

    output.release_sends();
    worker.stop(5s);
    CHECK(output.delivered_rules() == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("delivery: stop delivers what is queued, then refuses more")
{
    FakeOutput output;
    output.take_at_most(3);
    output.hold_sends();
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 100, quick_backoff);
    std::vector<std::string> expected;
    for (int index = 0; index < 10; ++index) {
        expected.push_back("alert" + std::to_string(index));
        CHECK(worker.enqueue(rendered_alert(expected.back())));
    }
    output.release_sends();
    worker.stop(5s);

    CHECK(output.delivered_rules() == expected);
    CHECK(output.sends() == 4);
    CHECK_FALSE(worker.enqueue(rendered_alert("late")));
    auto statistics = worker.statistics();
    CHECK(statistics.delivered == 10);
    CHECK(statistics.dropped_at_stop == 1);
}

TEST_CASE("delivery: stop cuts a backoff wait short and gives up at the deadline")
{
    FakeOutput output;
    output.always(VIGIL_SEND_RETRY);
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), 100, BackoffLimits{60s, 60s});
    CHECK(worker.enqueue(rendered_alert("a")));
    CHECK(worker.enqueue(rendered_alert("b")));
    REQUIRE(eventually([&] { return output.sends() >= 1; }));

    auto start = std::chrono::steady_clock::now();
    worker.stop(100ms);
    CHECK(std::chrono::steady_clock::now() - start < 5s);

    auto statistics = worker.statistics();
    CHECK(statistics.delivered == 0);
    CHECK(statistics.retried_sends >= 1);
    CHECK(statistics.dropped_at_stop == 2);
    CHECK(output.delivered().empty());
}

TEST_CASE("delivery: the worker refuses hooks without format or send")
{
    FakeOutput output;
    vigil_plugin_hooks detector_hooks{};
    detector_hooks.struct_size = sizeof(detector_hooks);
    CHECK_THROWS_AS(OutputWorker("broken", &detector_hooks, output.instance(), 10), std::invalid_argument);
    CHECK_THROWS_AS(OutputWorker("broken", nullptr, output.instance(), 10), std::invalid_argument);
}
