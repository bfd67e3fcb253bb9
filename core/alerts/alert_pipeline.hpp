// SPDX-License-Identifier: Apache-2.0
// From a raised alert to the outputs: deduplication, rendering once, and a
// hand-off to every output's queue. The event thread never waits on an
// output; each has its own queue and delivery thread.
//
// An output whose worker reads from the durable spool gets the alert through
// it. The pipeline collects what a drain pass raised for such outputs and, at
// flush_spool(), appends all of it in one transaction on the event thread,
// then wakes their workers. That append is the only disk write on the event
// thread (a write(2) into the WAL, no fsync by default; see spool.hpp), and
// it is what makes the alerts survive a crash from then on. One transaction
// per pass rather than per alert: a commit costs tens of microseconds, an
// alert in a batch a few, which matters when a storm raises thousands.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/alerts/alert.hpp"
#include "core/alerts/deduplicator.hpp"
#include "core/alerts/rendered_alert.hpp"
#include "core/alerts/route.hpp"
#include "core/delivery/output_statistics.hpp"
#include "core/delivery/output_worker.hpp"
#include "core/delivery/spool.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::alerts {

// Threads: add_output before the first submit; submit, tick and stop from the
// event thread only; statistics and output_statistics from any thread once
// the outputs are added.
class AlertPipeline {
public:
    AlertPipeline(uint64_t dedup_window_ns, std::size_t dedup_max_keys);
    // Stops with no drain time if stop was not called.
    ~AlertPipeline();

    AlertPipeline(const AlertPipeline &) = delete;
    AlertPipeline &operator=(const AlertPipeline &) = delete;

    // @route: which alerts it receives (by default every one). A worker with a
    // spool (OutputWorker::spool()) gets its alerts through it; all such
    // workers must share one spool.
    void add_output(std::unique_ptr<delivery::OutputWorker> output, Route route = {});

    // Deduplicates @alert (time_unix_ns and context already filled in),
    // renders it once and offers it to every output that accepts it: at once
    // to in-memory queues, at the next flush_spool() to spooled outputs.
    // @now_boot_ns: CLOCK_BOOTTIME, the clock of the dedup windows. Returns
    // false for a repeat the dedup window holds back (or after stop).
    bool submit(Alert alert, uint64_t now_boot_ns);

    // Stores the alerts submitted since the last flush for the spooled outputs,
    // in one transaction, and wakes those outputs. The sensor calls it after
    // each drain pass; submit flushes by itself once max_spool_batch wait.
    void flush_spool();
    static constexpr std::size_t max_spool_batch = 256;

    // Sends the repeat summaries of dedup windows that closed, and flushes. About once a second.
    void tick(uint64_t now_boot_ns);

    // Sends the summaries of every open dedup window, then stops the outputs,
    // letting them deliver what is queued for at most @drain_deadline in all.
    void stop(std::chrono::milliseconds drain_deadline);

    struct Statistics {
        uint64_t submitted = 0;      // alerts submitted
        uint64_t sent = 0;           // alerts and repeat summaries offered to the outputs
        uint64_t suppressed = 0;     // repeats held back by dedup (counted in summaries instead)
        uint64_t spool_failures = 0; // alerts the spool's storage failed to store (lost for the spooled outputs)
    };
    Statistics statistics() const;
    std::vector<std::pair<std::string, delivery::OutputStatistics>> output_statistics() const;

private:
    void dispatch(Alert alert);
    void dispatch_all(std::vector<Alert> alerts);
    void add_to_spool_batch(const RenderedAlert &rendered);

    // One output as the pipeline sees it: its delivery worker, and the route
    // that decides which alerts it receives.
    struct OutputRoute {
        std::unique_ptr<delivery::OutputWorker> worker;
        Route route;
        bool accepts(const Alert &alert) const { return route.accepts(alert); }
    };

    Deduplicator dedup_;
    std::vector<OutputRoute> outputs_;
    bool stopped_ = false;
    std::atomic<uint64_t> submitted_{0};
    std::atomic<uint64_t> sent_{0};
    std::atomic<uint64_t> suppressed_{0};
    std::atomic<uint64_t> spool_failures_{0};
    // Reused by dispatch: the spooled outputs that accept the alert at hand.
    std::vector<delivery::OutputWorker *> spooled_;
    // The alerts waiting for flush_spool(), each encoded once, and the outputs
    // each is for (workers_[first_worker, first_worker + worker_count)).
    struct SpoolBatchEntry {
        std::string bytes;
        std::string rule; // for the message if the spool fails
        std::size_t first_worker = 0;
        std::size_t worker_count = 0;
    };
    std::vector<SpoolBatchEntry> spool_batch_;
    std::size_t spool_batch_size_ = 0; // entries in use; the rest keep their capacity
    std::vector<delivery::OutputWorker *> spool_batch_workers_;
    std::vector<delivery::SpoolAppend> appends_;
    util::LogThrottle spool_error_log_;
};

} // namespace vigil::alerts
