// SPDX-License-Identifier: Apache-2.0
// The output worker reading from the durable spool: what it acknowledges,
// rejects and retries there, in what order, and what a restart finds.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/alerts/alert_pipeline.hpp"
#include "core/delivery/output_worker.hpp"
#include "core/delivery/spool.hpp"
#include "core/delivery/spooled_alert.hpp"
#include "tests/unit/delivery/fake_output.hpp"
#include "tests/unit/delivery/temporary_directory.hpp"

using namespace std::chrono_literals;
using vigil::delivery::encode_spooled_alert;
using vigil::delivery::OutputWorker;
using vigil::delivery::Spool;
using vigil::delivery::SpoolLimits;
using vigil::testing::eventually;
using vigil::testing::FakeOutput;
using vigil::testing::rendered_alert;
using vigil::testing::TemporaryDirectory;
using vigil::util::BackoffLimits;

namespace {

constexpr BackoffLimits quick_backoff{1ms, 4ms};
using Rules = std::vector<std::string>;

Spool open_spool(const TemporaryDirectory &directory, SpoolLimits limits = {})
{
    auto spool = Spool::open((directory.path() / "spool.db").string(), limits);
    if (!spool) {
        FAIL("cannot open the spool: " << spool.error());
    }
    return std::move(*spool);
}

// What the pipeline does for one output: store, then tell the worker (if any).
uint64_t spool_alert(Spool &spool, const std::string &rule, OutputWorker *worker = nullptr,
                     const std::string &output = "fake")
{
    auto id = spool.append(output, encode_spooled_alert(*rendered_alert(rule)));
    if (!id) {
        FAIL("append failed: " << id.error().message);
    }
    if (worker != nullptr) {
        worker->notify_spooled(*id);
    }
    return *id;
}

Rules numbered(const std::string &prefix, int count)
{
    Rules rules;
    for (int index = 0; index < count; ++index) {
        rules.push_back(prefix + std::to_string(index));
    }
    return rules;
}

} // namespace

TEST_CASE("delivery: a spool worker acknowledges what the output took, in order")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    FakeOutput output;
    output.take_at_most(3);
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    auto expected = numbered("alert", 10);
    for (const auto &rule : expected) {
        spool_alert(spool, rule, &worker);
    }
    REQUIRE(eventually([&] { return worker.statistics().delivered == 10; }));
    CHECK(eventually([&] { return spool.pending("fake").entries == 0; }));
    worker.stop(1s);

    CHECK(output.delivered_rules() == expected);
    CHECK(spool.statistics("fake").acknowledged == 10);
    auto statistics = worker.statistics();
    CHECK(statistics.enqueued == 10);
    CHECK(statistics.rejected == 0);
    CHECK(statistics.pending == 0);
    CHECK(statistics.dropped_at_stop == 0);
}

TEST_CASE("delivery: a spool worker removes a rejected alert as rejected, with the reason, and goes on")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    FakeOutput output;
    output.take_at_most(1);
    output.script({VIGIL_SEND_REJECT});
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    spool_alert(spool, "refused", &worker);
    spool_alert(spool, "accepted", &worker);
    REQUIRE(eventually([&] { return worker.statistics().delivered == 1; }));
    worker.stop(1s);

    CHECK(output.delivered_rules() == Rules{"accepted"});
    CHECK(output.sends() == 2);
    CHECK(worker.statistics().rejected == 1);
    CHECK(worker.statistics().retried_sends == 0);
    CHECK(spool.statistics("fake").rejected == 1);
    CHECK(spool.last_reject_reason("fake") == "scripted status 2");
    CHECK(spool.pending("fake").entries == 0);
}

TEST_CASE("delivery: a spool worker keeps retrying and acknowledges only once the output took the alerts")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    FakeOutput output;
    output.always(VIGIL_SEND_RETRY);
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    for (const auto &rule : Rules{"a", "b", "c"}) {
        spool_alert(spool, rule, &worker);
    }
    REQUIRE(eventually([&] { return worker.statistics().retried_sends >= 5; }));
    // Still failing: nothing acknowledged, everything still in the spool.
    CHECK(spool.pending("fake").entries == 3);
    CHECK(worker.statistics().pending == 3);
    output.always(VIGIL_SEND_OK);
    REQUIRE(eventually([&] { return worker.statistics().delivered == 3; }));
    CHECK(eventually([&] { return spool.pending("fake").entries == 0; }));
    worker.stop(1s);
    CHECK(output.delivered_rules() == Rules{"a", "b", "c"});
}

TEST_CASE("delivery: after a restart, a spool worker delivers what waited first, in order, then the new alerts")
{
    TemporaryDirectory directory;
    auto before = numbered("before", 150); // more than one batch
    {
        auto spool = open_spool(directory);
        FakeOutput failing;
        failing.always(VIGIL_SEND_RETRY);
        OutputWorker worker("fake", FakeOutput::hooks(), failing.instance(), spool, quick_backoff);
        for (const auto &rule : before) {
            spool_alert(spool, rule, &worker);
        }
        // Another output's alerts are not this one's.
        spool_alert(spool, "other", nullptr, "other");
        REQUIRE(eventually([&] { return worker.statistics().retried_sends >= 2; }));
        // A stop with no drain time: nothing is lost, nothing is counted as dropped.
        worker.stop(0ms);
        CHECK(worker.statistics().dropped_at_stop == 0);
        CHECK(worker.statistics().pending == before.size());
    } // the spool is closed, as by a stop or a crash

    auto spool = open_spool(directory);
    CHECK(spool.pending("fake").entries == before.size());
    FakeOutput output;
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    auto after = numbered("after", 5);
    for (const auto &rule : after) {
        spool_alert(spool, rule, &worker);
    }
    REQUIRE(eventually([&] { return worker.statistics().delivered == before.size() + after.size(); }));
    worker.stop(1s);

    auto expected = before;
    expected.insert(expected.end(), after.begin(), after.end());
    CHECK(output.delivered_rules() == expected);
    CHECK(spool.pending("fake").entries == 0);
    CHECK(spool.pending("other").entries == 1);
}

TEST_CASE("delivery: stop keeps delivering from the spool until the deadline, and leaves the rest there")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    FakeOutput output;
    output.take_at_most(2);
    output.hold_sends();
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    for (const auto &rule : numbered("alert", 6)) {
        spool_alert(spool, rule, &worker);
    }
    REQUIRE(eventually([&] { return output.sends() == 1; }));
    output.release_sends();
    worker.stop(5s);
    CHECK(output.delivered_rules() == numbered("alert", 6));
    CHECK(spool.pending("fake").entries == 0);
}

TEST_CASE("delivery: a spool entry that cannot be decoded is dropped as rejected, and the rest delivered")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    spool_alert(spool, "first");
    REQUIRE(spool.append("fake", "not an alert"));
    spool_alert(spool, "last");
    FakeOutput output;
    OutputWorker worker("fake", FakeOutput::hooks(), output.instance(), spool, quick_backoff);
    REQUIRE(eventually([&] { return worker.statistics().delivered == 2; }));
    worker.stop(1s);
    CHECK(output.delivered_rules() == Rules{"first", "last"});
    CHECK(worker.statistics().rejected == 1);
    CHECK(spool.pending("fake").entries == 0);
}

TEST_CASE("delivery: the pipeline spools each alert for the outputs that accept it, and counts a full spool")
{
    TemporaryDirectory directory;
    SpoolLimits limits;
    limits.max_entries_per_output = 3;
    auto spool = open_spool(directory, limits);
    FakeOutput everything;
    FakeOutput high_only;
    everything.hold_sends();
    vigil::alerts::AlertPipeline pipeline(0, 16);
    pipeline.add_output(
        std::make_unique<OutputWorker>("everything", FakeOutput::hooks(), everything.instance(), spool, quick_backoff));
    vigil::alerts::Route high;
    high.min_severity = VIGIL_SEVERITY_HIGH;
    pipeline.add_output(
        std::make_unique<OutputWorker>("high", FakeOutput::hooks(), high_only.instance(), spool, quick_backoff), high);

    for (int index = 0; index < 5; ++index) {
        vigil::alerts::Alert alert;
        alert.rule = "rule" + std::to_string(index);
        alert.severity = index % 2 == 0 ? VIGIL_SEVERITY_HIGH : VIGIL_SEVERITY_LOW;
        alert.k8s.node = "node-1";
        pipeline.submit(std::move(alert), 1000 + index);
    }
    pipeline.flush_spool(); // what the sensor does after each drain pass
    REQUIRE(eventually([&] { return high_only.delivered().size() == 3; }));
    CHECK(high_only.delivered_rules() == Rules{"rule0", "rule2", "rule4"});
    // "everything" is held: its bound of 3 refused the last 2.
    auto statistics = pipeline.output_statistics();
    REQUIRE(statistics.size() == 2);
    CHECK(statistics[0].second.dropped_spool_full == 2);
    CHECK(statistics[0].second.pending == 3);
    CHECK(statistics[1].second.dropped_spool_full == 0);
    CHECK(spool.statistics("everything").times_full == 1);
    everything.release_sends();
    pipeline.stop(5s);
    CHECK(everything.delivered_rules() == Rules{"rule0", "rule1", "rule2"});
    CHECK(spool.pending("everything").entries == 0);
}

TEST_CASE("delivery: the pipeline stores a drain pass's alerts for spooled outputs at flush, in one go and in order")
{
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    FakeOutput output;
    vigil::alerts::AlertPipeline pipeline(0, 16);
    pipeline.add_output(
        std::make_unique<OutputWorker>("spooled", FakeOutput::hooks(), output.instance(), spool, quick_backoff));
    auto submit = [&](int index) {
        vigil::alerts::Alert alert;
        alert.rule = "rule" + std::to_string(index);
        alert.k8s.node = "node-1";
        pipeline.submit(std::move(alert), 1000 + static_cast<uint64_t>(index));
    };
    for (int index = 0; index < 3; ++index) {
        submit(index);
    }
    CHECK(spool.pending("spooled").entries == 0); // not yet: the pass is not over
    pipeline.flush_spool();
    CHECK(spool.statistics("spooled").appended == 3);
    REQUIRE(eventually([&] { return output.delivered().size() == 3; }));
    CHECK(output.delivered_rules() == Rules{"rule0", "rule1", "rule2"});
    pipeline.flush_spool(); // nothing waiting: nothing written
    CHECK(spool.statistics("spooled").appended == 3);

    // A pass that raises more than a batch stores them as it goes.
    const auto batch = static_cast<int>(vigil::alerts::AlertPipeline::max_spool_batch);
    for (int index = 3; index < 3 + batch; ++index) {
        submit(index);
    }
    CHECK(spool.statistics("spooled").appended == 3 + vigil::alerts::AlertPipeline::max_spool_batch);
    submit(3 + batch);
    pipeline.stop(5s); // stop flushes what waits, then drains
    CHECK(output.delivered().size() == static_cast<std::size_t>(4 + batch));
    CHECK(output.delivered_rules().back() == "rule" + std::to_string(3 + batch));
}

namespace {

struct PipelineRun {
    double alerts_per_second = 0;
    std::vector<double> submit_us; // event-thread time per alert: its pass's submits and flush, shared
};

vigil::alerts::Alert measured_alert(int index)
{
    vigil::alerts::Alert alert;
    alert.time_unix_ns = 1'700'000'000'000'000'000ULL + index;
    alert.rule = "injection.ptrace_attach";
    alert.plugin = "injection";
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "process 1234 (/usr/bin/example) attached to process 5678 with ptrace";
    alert.tactics = {{"TA0005", "Defense Evasion"}, {"TA0004", "Privilege Escalation"}};
    alert.techniques = {{"T1055.008", "Ptrace System Calls"}};
    alert.process = vigil::alerts::ProcessContext{1234, 1234, 0, 0, "/usr/bin/example", "/usr/bin/example --flag", {}};
    alert.container = vigil::alerts::ContainerContext{std::string(64, 'c'), "containerd"};
    alert.k8s.node = "node-1";
    alert.k8s.pod_uid = "7d0c4c4e-3b6e-4c1a-9d7e-0d1b8f6b2a11";
    alert.evidence.push_back({"target_pid", uint64_t{5678}});
    return alert;
}

// Submits @count alerts to a pipeline with one fast output, spooled or in memory,
// and times the submits and the whole run until the output took them all.
PipelineRun run_pipeline(int count, Spool *spool)
{
    FakeOutput output;
    vigil::alerts::AlertPipeline pipeline(0, 16);
    pipeline.add_output(
        spool != nullptr
            ? std::make_unique<OutputWorker>("fast", FakeOutput::hooks(), output.instance(), *spool, quick_backoff)
            : std::make_unique<OutputWorker>("fast", FakeOutput::hooks(), output.instance(),
                                             static_cast<std::size_t>(count), quick_backoff));
    PipelineRun run;
    run.submit_us.reserve(static_cast<std::size_t>(count));
    auto start = std::chrono::steady_clock::now();
    // Drain passes of a storm: pass_size alerts, then the flush the sensor does
    // after each pass; each alert is charged its share of the pass's time.
    constexpr int pass_size = 32;
    for (int first = 0; first < count; first += pass_size) {
        const int last = std::min(count, first + pass_size);
        auto before = std::chrono::steady_clock::now();
        for (int index = first; index < last; ++index) {
            pipeline.submit(measured_alert(index), 1000 + static_cast<uint64_t>(index));
        }
        pipeline.flush_spool();
        auto per_alert = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - before).count() /
                         (last - first);
        run.submit_us.insert(run.submit_us.end(), static_cast<std::size_t>(last - first), per_alert);
    }
    eventually([&] { return output.delivered().size() == static_cast<std::size_t>(count); }, 120s);
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(output.delivered().size() == static_cast<std::size_t>(count));
    pipeline.stop(1s);
    run.alerts_per_second = count / elapsed;
    return run;
}

double percentile(std::vector<double> values, double fraction)
{
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1))];
}

} // namespace

// Every one of thousands of alerts arrives, spooled and in memory. The figures
// it prints (throughput, the event thread's time per submit) are information,
// not a pass mark; VIGIL_SPOOL_MEASURE_COUNT=20000 gives steadier ones.
TEST_CASE("delivery: thousands of alerts through pipeline, spool and worker all arrive, with timings printed")
{
    const char *asked = std::getenv("VIGIL_SPOOL_MEASURE_COUNT");
    const int count = asked != nullptr ? std::atoi(asked) : 2000;
    TemporaryDirectory directory;
    auto spool = open_spool(directory);
    auto spooled = run_pipeline(count, &spool);
    auto in_memory = run_pipeline(count, nullptr);
    auto mean = [](const std::vector<double> &values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / static_cast<double>(values.size());
    };
    MESSAGE("spooled: " << spooled.alerts_per_second << " alerts/s; submit mean " << mean(spooled.submit_us)
                        << " us, p50 " << percentile(spooled.submit_us, 0.5) << " us, p99 "
                        << percentile(spooled.submit_us, 0.99) << " us, max " << percentile(spooled.submit_us, 1.0)
                        << " us");
    MESSAGE("in memory: " << in_memory.alerts_per_second << " alerts/s; submit mean " << mean(in_memory.submit_us)
                          << " us, p50 " << percentile(in_memory.submit_us, 0.5) << " us, p99 "
                          << percentile(in_memory.submit_us, 0.99) << " us");
    MESSAGE("added by the spool on the event thread: mean "
            << mean(spooled.submit_us) - mean(in_memory.submit_us) << " us, p50 "
            << percentile(spooled.submit_us, 0.5) - percentile(in_memory.submit_us, 0.5) << " us per alert");
}
