// SPDX-License-Identifier: Apache-2.0
// The durable spool's cost on the hot path: how many 1 KB alerts per second it
// appends and acknowledges, and how long one append holds the calling (event)
// thread, alone and while a delivery thread acknowledges at the same time.
//
//   spool_throughput [directory] [alerts]
//
// The directory (default: a fresh one under /var/tmp) should be on the disk the
// sensor's spool would use: tmpfs would hide the cost of the writes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include "core/delivery/spool.hpp"

using vigil::delivery::Spool;
using vigil::delivery::SpoolAppend;
using vigil::delivery::SpoolLimits;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t alert_size = 1024;
constexpr std::size_t delivery_batch = 64;

std::string make_alert(std::size_t number)
{
    std::string alert = "{\"rule\":\"bench\",\"number\":" + std::to_string(number) + ",\"padding\":\"";
    alert.resize(alert_size - 2, 'x');
    return alert + "\"}";
}

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Latencies {
    std::vector<double> microseconds;

    void add(Clock::duration duration)
    {
        microseconds.push_back(std::chrono::duration<double, std::micro>(duration).count());
    }
    double at(double quantile)
    {
        std::sort(microseconds.begin(), microseconds.end());
        auto index = static_cast<std::size_t>(quantile * static_cast<double>(microseconds.size() - 1));
        return microseconds[index];
    }
    void print(const char *what)
    {
        std::printf("  %-44s p50 %7.1f us  p99 %7.1f us  p99.9 %8.1f us  max %8.1f us\n", what, at(0.5), at(0.99),
                    at(0.999), at(1.0));
    }
};

Spool open_or_exit(const std::filesystem::path &path, SpoolLimits limits = {})
{
    auto spool = Spool::open(path.string(), limits);
    if (!spool) {
        std::fprintf(stderr, "%s\n", spool.error().c_str());
        std::exit(1);
    }
    return std::move(*spool);
}

void must(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "spool_throughput: %s failed\n", what);
        std::exit(1);
    }
}

// Appends @count alerts to @output one call each; returns the latencies.
Latencies append_singly(Spool &spool, const char *output, std::size_t count, const std::vector<std::string> &alerts)
{
    Latencies latencies;
    latencies.microseconds.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto start = Clock::now();
        auto id = spool.append(output, alerts[i % alerts.size()]);
        latencies.add(Clock::now() - start);
        must(id.has_value(), "append");
    }
    return latencies;
}

// Delivers (peeks and acknowledges) everything waiting for @output, as a delivery thread would.
std::size_t drain(Spool &spool, const char *output)
{
    std::size_t drained = 0;
    for (;;) {
        auto entries = spool.peek(output, delivery_batch);
        must(entries.has_value(), "peek");
        if (entries->empty()) {
            return drained;
        }
        must(spool.acknowledge(output, entries->back().id).has_value(), "acknowledge");
        drained += entries->size();
    }
}

} // namespace

int main(int argc, char **argv)
{
    spdlog::set_level(spdlog::level::warn);
    std::filesystem::path directory;
    if (argc > 1) {
        directory = argv[1];
    } else {
        std::string pattern = "/var/tmp/vigil-spool-bench-XXXXXX";
        must(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
        directory = pattern;
    }
    const std::size_t count = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20'000;
    const auto path = directory / "spool.db";
    std::vector<std::string> alerts;
    for (std::size_t i = 0; i < 1000; ++i) {
        alerts.push_back(make_alert(i));
    }
    std::printf("spool_throughput: %zu alerts of %zu bytes, spool %s\n", count, alert_size, path.c_str());

    {
        auto spool = open_or_exit(path);

        std::printf("synchronous=NORMAL (the default: survives a crash or kill -9 of the sensor)\n");
        auto start = Clock::now();
        auto latencies = append_singly(spool, "siem", count, alerts);
        std::printf("  append, one alert per call:                  %9.0f alerts/s\n",
                    static_cast<double>(count) / seconds_since(start));
        latencies.print("append latency (alone):");

        start = Clock::now();
        auto drained = drain(spool, "siem");
        std::printf("  peek %zu + acknowledge:                       %9.0f alerts/s\n", delivery_batch,
                    static_cast<double>(drained) / seconds_since(start));

        start = Clock::now();
        for (std::size_t i = 0; i < count; i += delivery_batch) {
            std::vector<SpoolAppend> batch;
            for (std::size_t j = i; j < std::min(count, i + delivery_batch); ++j) {
                batch.push_back({"siem", alerts[j % alerts.size()]});
            }
            must(spool.append_batch(batch).has_value(), "append_batch");
        }
        std::printf("  append_batch of %zu:                          %9.0f alerts/s\n", delivery_batch,
                    static_cast<double>(count) / seconds_since(start));
        drain(spool, "siem");

        // An alert routed to three outputs: one batch of three per alert.
        start = Clock::now();
        for (std::size_t i = 0; i < count; ++i) {
            const auto &alert = alerts[i % alerts.size()];
            const SpoolAppend routed[] = {{"siem", alert}, {"slack", alert}, {"pager", alert}};
            must(spool.append_batch(routed).has_value(), "append_batch");
        }
        std::printf("  one alert to 3 outputs, one batch each:      %9.0f alerts/s\n",
                    static_cast<double>(count) / seconds_since(start));
        for (const char *output : {"siem", "slack", "pager"}) {
            drain(spool, output);
        }

        // The event thread appending while a delivery thread acknowledges:
        // appends now also wait for acknowledgements and checkpoints.
        std::atomic<bool> appending{true};
        std::atomic<std::size_t> delivered{0};
        std::thread delivery([&] {
            while (appending || spool.pending("siem").entries > 0) {
                auto done = drain(spool, "siem");
                delivered += done;
                if (done == 0) {
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                }
            }
        });
        start = Clock::now();
        latencies = append_singly(spool, "siem", count, alerts);
        auto append_seconds = seconds_since(start);
        appending = false;
        delivery.join();
        auto total_seconds = seconds_since(start);
        std::printf("  append while a delivery thread acknowledges: %9.0f alerts/s appended, %9.0f alerts/s "
                    "acknowledged\n",
                    static_cast<double>(count) / append_seconds, static_cast<double>(delivered) / total_seconds);
        latencies.print("append latency (with acknowledgements):");
    }

    {
        // Reopening with a full backlog: what a restart after an outage costs (quick check, counting).
        {
            auto spool = open_or_exit(path);
            for (std::size_t i = 0; i < count; i += delivery_batch) {
                std::vector<SpoolAppend> batch;
                for (std::size_t j = i; j < std::min(count, i + delivery_batch); ++j) {
                    batch.push_back({"siem", alerts[j % alerts.size()]});
                }
                must(spool.append_batch(batch).has_value(), "append_batch");
            }
        }
        auto start = Clock::now();
        auto spool = open_or_exit(path);
        std::printf("  open with %zu alerts (%.0f MB) pending:       %9.1f ms\n", count,
                    static_cast<double>(count * alert_size) / 1e6, seconds_since(start) * 1000);
        drain(spool, "siem");
    }

    {
        SpoolLimits limits;
        limits.survive_power_loss = true;
        auto spool = open_or_exit(path, limits);
        std::size_t fewer = std::min<std::size_t>(count, 2000);
        std::printf("synchronous=FULL (also survives a power loss: an fsync per commit)\n");
        auto start = Clock::now();
        auto latencies = append_singly(spool, "siem", fewer, alerts);
        std::printf("  append, one alert per call:                  %9.0f alerts/s\n",
                    static_cast<double>(fewer) / seconds_since(start));
        latencies.print("append latency:");
        drain(spool, "siem");
    }

    if (argc <= 1) {
        std::filesystem::remove_all(directory);
    }
    return 0;
}
