// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <chrono>

#include "core/alerts/alert_pipeline.hpp"
#include "tests/unit/delivery/fake_output.hpp"

using namespace std::chrono_literals;
using namespace vigil::alerts;
using vigil::delivery::OutputWorker;
using vigil::testing::FakeOutput;

namespace {

constexpr uint64_t second = 1'000'000'000;

Alert raised(std::string rule)
{
    Alert alert;
    alert.time_unix_ns = 1;
    alert.rule = std::move(rule);
    alert.plugin = "test";
    alert.k8s.node = "node-1";
    return alert;
}

std::unique_ptr<OutputWorker> worker_for(FakeOutput &output, std::string name)
{
    return std::make_unique<OutputWorker>(std::move(name), FakeOutput::hooks(), output.instance(), 100);
}

} // namespace

TEST_CASE("alerts: pipeline sends to every output, holds back repeats and summarises them")
{
    FakeOutput first;
    FakeOutput second_output;
    AlertPipeline pipeline(10 * second, 100);
    pipeline.add_output(worker_for(first, "first"));
    pipeline.add_output(worker_for(second_output, "second"));

    // submit says which were admitted: what a joining detector is handed.
    CHECK(pipeline.submit(raised("rule.a"), 0));
    CHECK_FALSE(pipeline.submit(raised("rule.a"), 1 * second));
    CHECK_FALSE(pipeline.submit(raised("rule.a"), 2 * second));
    CHECK(pipeline.submit(raised("rule.b"), 3 * second));
    pipeline.tick(5 * second);  // nothing closed yet
    pipeline.tick(10 * second); // rule.a's window closes with 2 repeats
    pipeline.submit(raised("rule.b"), 11 * second);
    pipeline.stop(5s); // flushes rule.b's window (1 repeat)

    std::vector<FakeOutput::Delivered> expected{{"rule.a", 0}, {"rule.b", 0}, {"rule.a", 2}, {"rule.b", 1}};
    for (auto *output : {&first, &second_output}) {
        auto delivered = output->delivered();
        REQUIRE(delivered.size() == expected.size());
        for (std::size_t index = 0; index < expected.size(); ++index) {
            CHECK(delivered[index].rule == expected[index].rule);
            CHECK(delivered[index].repeat_count == expected[index].repeat_count);
        }
    }
    auto statistics = pipeline.statistics();
    CHECK(statistics.submitted == 5);
    CHECK(statistics.sent == 4);
    CHECK(statistics.suppressed == 3);

    auto outputs = pipeline.output_statistics();
    REQUIRE(outputs.size() == 2);
    CHECK(outputs[0].first == "first");
    CHECK(outputs[0].second.delivered == 4);
    CHECK(outputs[1].first == "second");
    CHECK(outputs[1].second.delivered == 4);
}

TEST_CASE("alerts: pipeline keeps sending to other outputs when one is full")
{
    FakeOutput stuck;
    FakeOutput healthy;
    stuck.hold_sends();
    AlertPipeline pipeline(0, 100);
    pipeline.add_output(std::make_unique<OutputWorker>("stuck", FakeOutput::hooks(), stuck.instance(), 1));
    pipeline.add_output(worker_for(healthy, "healthy"));
    for (int index = 0; index < 5; ++index) {
        pipeline.submit(raised("rule." + std::to_string(index)), 0);
    }
    CHECK(vigil::testing::eventually([&] { return healthy.delivered().size() == 5; }));
    stuck.release_sends();
    pipeline.stop(5s);

    auto outputs = pipeline.output_statistics();
    CHECK(outputs[0].second.delivered == 1);
    CHECK(outputs[0].second.dropped_queue_full == 4);
    CHECK(outputs[1].second.delivered == 5);
}
