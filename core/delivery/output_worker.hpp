// One output plugin's delivery: a bounded queue filled by the alert pipeline
// and a thread of its own that formats batches through the plugin's format
// hook and sends them through its send hook, retrying with backoff. A slow or
// failing receiver therefore only ever fills its own queue; it never holds up
// the event thread or the other outputs.
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

#include "core/delivery/backoff.hpp"
#include "core/delivery/log_throttle.hpp"
#include "core/delivery/output_statistics.hpp"
#include "core/delivery/rendered_alert.hpp"

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
                 BackoffLimits backoff = {});
    // Stops with no drain time: whatever is still queued is counted as dropped_at_stop.
    ~OutputWorker();

    OutputWorker(const OutputWorker &) = delete;
    OutputWorker &operator=(const OutputWorker &) = delete;

    // Never blocks on the output. False (and counted) when the queue is full
    // or the worker is stopping. Thread-safe.
    bool enqueue(std::shared_ptr<const RenderedAlert> alert);

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
    };

    void run();
    void deliver_until_stopped();
    // Views of the first queued alerts (at most max_batch), waiting for some.
    // False once stopping and the queue is empty or the deadline has passed.
    bool next_batch(std::vector<const vigil_alert *> &views);
    // Sends @request until the output takes or rejects it. False when the
    // drain deadline passed while retrying: the alerts stay queued.
    bool deliver(const std::string &request, std::size_t count);
    // Waits @wait before a resend. False when the drain deadline has passed.
    bool wait_before_retry(Clock::duration wait);
    // Removes the first @count queued alerts, adding them to @outcome.
    void finish(std::size_t count, std::atomic<uint64_t> &outcome);
    void abandon_queue();

    void report_format_error(int error, const vigil_alert &dropped);
    void report_rejected(std::size_t count, std::string_view reason);
    void note_send_failing(std::string_view reason);
    void note_send_recovered();

    // Set once; read by both threads.
    const std::string name_;
    const vigil_plugin_hooks *const hooks_;
    void *const instance_;
    const std::size_t capacity_;
    Counters counters_;

    // Guarded by mutex_.
    mutable std::mutex mutex_;
    std::condition_variable work_ready_;     // an alert was queued, or stop was asked
    std::condition_variable stop_requested_; // wakes a backoff wait
    std::deque<std::shared_ptr<const RenderedAlert>> queue_;
    bool stopping_ = false;
    Clock::time_point deadline_{};
    bool queue_full_reported_ = false;
    uint64_t dropped_before_full_ = 0;

    // Only the delivery thread touches these.
    Backoff backoff_;
    LogThrottle reject_log_;
    bool send_failing_ = false;
    uint64_t failed_sends_ = 0;

    // Last: started once everything above exists.
    std::thread thread_;
};

} // namespace vigil::delivery
