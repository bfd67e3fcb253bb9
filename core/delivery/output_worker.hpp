// SPDX-License-Identifier: Apache-2.0
// One output plugin's delivery: a bounded queue filled by the alert pipeline
// and a thread of its own that formats batches through the plugin's format
// hook and sends them through its send hook, retrying with backoff. A slow or
// failing receiver therefore only ever fills its own queue; it never holds up
// the event thread or the other outputs.
//
// Two kinds of queue:
// - in memory (no spool configured): enqueue hands over the rendered alert;
//   what is queued is lost if the sensor stops or dies;
// - the durable spool: the pipeline appends the alert to the spool for this
//   output and then only tells the worker (notify_spooled). The worker reads
//   its alerts from the spool, oldest first (peek after the last id it holds,
//   at most max_batch), acknowledges them there once the output said OK and
//   removes them as rejected once it said REJECT. What is not acknowledged
//   stays in the spool across a stop, crash or kill -9, and is delivered
//   first after the next start: in order, at least once (a batch sent but not
//   yet acknowledged when the sensor died is sent again).
//   Reading back from the spool rather than keeping the pipeline's copy costs
//   a decode per alert on this thread (not the event thread), and gives one
//   path for alerts of this run and of the previous one, with no second bound
//   to keep in step with the spool's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/delivery/output_statistics.hpp"
#include "core/delivery/spool.hpp"
#include "core/delivery/spooled_alert.hpp"
#include "core/util/backoff.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::delivery {

class OutputWorker {
public:
    // The most alerts offered to one format call.
    static constexpr std::size_t max_batch = 64;

    // @hooks and @instance: a loaded output plugin whose init succeeded. They
    // must outlive this worker; destroy the instance only after the worker.
    // @queue_capacity bounds the alerts waiting here, including those being
    // sent: when it is full, enqueue refuses the newest alert (and counts it).
    // @backoff: the retry delays; tests shorten them.
    // Throws std::invalid_argument if the hooks lack format or send.
    OutputWorker(std::string name, const vigil_plugin_hooks *hooks, void *instance, std::size_t queue_capacity,
                 util::BackoffLimits backoff = {});
    // The same, taking its alerts from @spool (see above), which must outlive
    // this worker. Alerts already waiting there for @name are delivered first.
    OutputWorker(std::string name, const vigil_plugin_hooks *hooks, void *instance, Spool &spool,
                 util::BackoffLimits backoff = {});
    // Stops with no drain time: whatever is still queued is counted as dropped_at_stop.
    ~OutputWorker();

    OutputWorker(const OutputWorker &) = delete;
    OutputWorker &operator=(const OutputWorker &) = delete;

    // Never blocks on the output. False (and counted) when the queue is full
    // or the worker is stopping, or reads from a spool. Thread-safe.
    // @alert: an alert rendered once for every output (the pointer may share
    // ownership with whatever keeps its strings alive).
    bool enqueue(std::shared_ptr<const vigil_alert> alert);

    // Spool workers: the alert @id was appended to the spool for this output.
    // Never blocks on the output. Thread-safe.
    void notify_spooled(uint64_t id);
    // Spool workers: an alert for this output could not be stored (the
    // spool's storage failed); it is lost for this output, and counted.
    void note_spool_failed();
    // The spool this worker reads from; null for an in-memory queue.
    Spool *spool() const { return spool_; }

    // Stops accepting alerts, keeps delivering what is queued until it is
    // empty or @drain_deadline has passed (a backoff wait is cut short; a send
    // already in the plugin is not), then joins the thread. Call from one
    // thread; calling again only joins.
    void stop(std::chrono::milliseconds drain_deadline);

    // Thread-safe.
    OutputStatistics statistics() const;
    const std::string &name() const { return name_; }

private:
    using Clock = std::chrono::steady_clock;

    struct Counters {
        std::atomic<uint64_t> enqueued{0};
        std::atomic<uint64_t> delivered{0};
        std::atomic<uint64_t> retried_sends{0};
        std::atomic<uint64_t> rejected{0};
        std::atomic<uint64_t> dropped_queue_full{0};
        std::atomic<uint64_t> dropped_at_stop{0};
        std::atomic<uint64_t> dropped_spool_error{0};
    };

    // A spooled alert the delivery thread read back and has not finished.
    struct HeldAlert {
        uint64_t id = 0;
        std::unique_ptr<SpooledAlert> alert;
    };

    void run();
    void deliver_until_stopped();
    // Views of the first queued alerts (at most max_batch), waiting for some.
    // False once stopping and the queue is empty or the deadline has passed.
    bool next_batch(std::vector<const vigil_alert *> &views);
    bool next_spooled_batch(std::vector<const vigil_alert *> &views);
    // Reads the spool's next alerts for this output into held_. False on a storage error.
    bool read_spool();
    // Sends @request until the output takes or rejects it. False when the
    // drain deadline passed while retrying: the alerts stay queued.
    bool deliver(const std::string &request, std::size_t count);
    // Waits @wait before a resend. False when the drain deadline has passed.
    bool wait_before_retry(Clock::duration wait);
    // The first @count alerts of the batch are done: delivered, or else
    // rejected for @reason. Removes them from the queue or the spool.
    void complete(std::size_t count, bool delivered, std::string_view reason);
    // Removes the first @count queued alerts, adding them to @outcome.
    void finish(std::size_t count, std::atomic<uint64_t> &outcome);
    void finish_spooled(std::size_t count, bool delivered, std::string_view reason);
    void abandon_queue();

    void report_format_error(int error, const vigil_alert &dropped);
    void report_rejected(std::size_t count, std::string_view reason);
    void note_send_failing(std::string_view reason);
    void note_send_recovered();
    void report_spool_error(const std::string &error);

    // Set once; read by both threads.
    const std::string name_;
    const vigil_plugin_hooks *const hooks_;
    void *const instance_;
    const std::size_t capacity_;
    Spool *const spool_ = nullptr;
    Counters counters_;

    // Guarded by mutex_.
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;     // an alert was queued, or stop was asked
    std::condition_variable stop_requested_; // wakes a backoff wait
    std::deque<std::shared_ptr<const vigil_alert>> queue_;
    bool stopping_ = false;
    Clock::time_point deadline_{};
    bool queue_full_reported_ = false;
    uint64_t dropped_before_full_ = 0;
    bool spool_maybe_more_ = true; // an append was notified since the last read of the spool

    // Only the delivery thread touches these.
    util::Backoff backoff_;
    util::LogThrottle reject_log_;
    bool send_failing_ = false;
    uint64_t failed_sends_ = 0;
    std::deque<HeldAlert> held_; // spool workers: read back, oldest first
    uint64_t last_read_id_ = 0;  // spool workers: the newest id read back (or skipped)
    util::LogThrottle spool_error_log_;

    // Last: started once everything above exists.
    std::thread thread_;
};

} // namespace vigil::delivery
