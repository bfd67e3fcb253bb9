// SPDX-License-Identifier: Apache-2.0
#include "core/delivery/output_worker.hpp"

#include <algorithm>
#include <cerrno>
#include <exception>
#include <stdexcept>
#include <system_error>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <vigil/abi_support.hpp>

#include "core/delivery/request_buffer.hpp"

namespace vigil::delivery {
namespace {

// A drain deadline beyond this is read as "as long as it takes, within reason",
// and keeps the steady_clock arithmetic from overflowing.
constexpr std::chrono::milliseconds longest_drain{24 * 60 * 60 * 1000};
// retry_after_ms is clamped before it becomes a duration, for the same reason.
constexpr uint64_t longest_retry_after_ms = 24 * 60 * 60 * 1000;

const vigil_plugin_hooks *checked_hooks(const vigil_plugin_hooks *hooks, const std::string &name)
{
    if (!VIGIL_HAS_FIELD(hooks, vigil_plugin_hooks, send) || hooks->format == nullptr || hooks->send == nullptr) {
        throw std::invalid_argument("output " + name + " has no format or send hook");
    }
    return hooks;
}

std::string suppressed_note(uint64_t suppressed)
{
    return suppressed > 0 ? fmt::format(" ({} similar messages suppressed)", suppressed) : std::string();
}

} // namespace

OutputWorker::OutputWorker(std::string name, const vigil_plugin_hooks *hooks, void *instance,
                           std::size_t queue_capacity, util::BackoffLimits backoff)
    : name_(std::move(name)), hooks_(checked_hooks(hooks, name_)), instance_(instance),
      capacity_(std::max<std::size_t>(queue_capacity, 1)), backoff_(backoff)
{
    thread_ = std::thread([this] { run(); });
}

OutputWorker::OutputWorker(std::string name, const vigil_plugin_hooks *hooks, void *instance, Spool &spool,
                           util::BackoffLimits backoff)
    : name_(std::move(name)), hooks_(checked_hooks(hooks, name_)), instance_(instance), capacity_(1), spool_(&spool),
      backoff_(backoff)
{
    if (auto waiting = spool.pending(name_); waiting.entries > 0) {
        spdlog::info("output {}: {} alerts ({} bytes) from before the last stop wait in the spool {}; they are "
                     "delivered first",
                     name_, waiting.entries, waiting.bytes, spool.path());
    }
    thread_ = std::thread([this] { run(); });
}

OutputWorker::~OutputWorker()
{
    stop(std::chrono::milliseconds{0});
}

bool OutputWorker::enqueue(std::shared_ptr<const vigil_alert> alert)
{
    bool accepted = false;
    bool report_full = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || spool_ != nullptr) { // a spool worker reads only the spool
            counters_.dropped_at_stop.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        if (queue_.size() < capacity_) {
            queue_.push_back(std::move(alert));
            counters_.enqueued.fetch_add(1, std::memory_order_relaxed);
            accepted = true;
        } else {
            // The newest alert is the one refused: the queued ones are older
            // and may already be in a request that is being sent.
            auto dropped = counters_.dropped_queue_full.fetch_add(1, std::memory_order_relaxed);
            if (!queue_full_reported_) {
                queue_full_reported_ = true;
                dropped_before_full_ = dropped;
                report_full = true;
            }
        }
    }
    if (accepted) {
        work_ready_.notify_one();
    } else if (report_full) {
        spdlog::warn("output {}: queue full ({} alerts), dropping new alerts until it drains", name_, capacity_);
    }
    return accepted;
}

void OutputWorker::notify_spooled(uint64_t id)
{
    (void)id; // the delivery thread reads ids from the spool itself, in order
    counters_.enqueued.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(mutex_);
        spool_maybe_more_ = true;
    }
    work_ready_.notify_one();
}

void OutputWorker::note_spool_failed()
{
    counters_.dropped_spool_error.fetch_add(1, std::memory_order_relaxed);
}

void OutputWorker::stop(std::chrono::milliseconds drain_deadline)
{
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            stopping_ = true;
            deadline_ = Clock::now() + std::clamp(drain_deadline, std::chrono::milliseconds{0}, longest_drain);
        }
    }
    work_ready_.notify_all();
    stop_requested_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

OutputStatistics OutputWorker::statistics() const
{
    constexpr auto relaxed = std::memory_order_relaxed;
    OutputStatistics statistics{
        counters_.enqueued.load(relaxed),           counters_.delivered.load(relaxed),
        counters_.retried_sends.load(relaxed),      counters_.rejected.load(relaxed),
        counters_.dropped_queue_full.load(relaxed), counters_.dropped_at_stop.load(relaxed),
    };
    statistics.dropped_spool_error = counters_.dropped_spool_error.load(relaxed);
    if (spool_ != nullptr) {
        statistics.dropped_spool_full = spool_->statistics(name_).dropped_full;
        statistics.pending = spool_->pending(name_).entries;
    } else {
        std::lock_guard lock(mutex_);
        statistics.pending = queue_.size();
    }
    return statistics;
}

void OutputWorker::run()
{
    try {
        deliver_until_stopped();
    } catch (const std::exception &exception) {
        // Only allocation can throw here; the output stops delivering but the sensor keeps running.
        spdlog::critical("output {}: delivery thread failed: {}", name_, exception.what());
    }
    abandon_queue();
}

void OutputWorker::deliver_until_stopped()
{
    std::vector<const vigil_alert *> views;
    views.reserve(max_batch);
    RequestBuffer request;
    while (next_batch(views)) {
        request.clear();
        int taken = hooks_->format(instance_, views.data(), static_cast<uint32_t>(views.size()), request.abi());
        if (taken <= 0) {
            // Which alert it choked on is unknown; dropping only the first
            // means a single bad alert cannot take a whole batch with it.
            report_format_error(taken == 0 ? -EINVAL : taken, *views.front());
            complete(1, false, "the output could not format it");
            continue;
        }
        auto count = std::min(static_cast<std::size_t>(taken), views.size());
        if (!deliver(request.bytes(), count)) {
            return;
        }
    }
}

bool OutputWorker::next_batch(std::vector<const vigil_alert *> &views)
{
    if (spool_ != nullptr) {
        return next_spooled_batch(views);
    }
    std::unique_lock lock(mutex_);
    work_ready_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty() || (stopping_ && Clock::now() >= deadline_)) {
        return false;
    }
    // Views, not copies: queued alerts stay where they are until this thread
    // pops them (push_back does not move a deque's elements), and the queue's
    // shared_ptr keeps them alive meanwhile.
    views.clear();
    auto count = std::min(queue_.size(), max_batch);
    for (std::size_t index = 0; index < count; ++index) {
        views.push_back(queue_[index].get());
    }
    return true;
}

bool OutputWorker::next_spooled_batch(std::vector<const vigil_alert *> &views)
{
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (held_.empty()) {
                work_ready_.wait(lock, [this] { return spool_maybe_more_ || stopping_; });
            }
            if (stopping_ && Clock::now() >= deadline_) {
                return false;
            }
            // Cleared before reading: an append notified from now on is read next time.
            spool_maybe_more_ = false;
        }
        if (held_.size() < max_batch && !read_spool()) {
            // The spool's storage failed: try again later, like a failed send.
            if (!wait_before_retry(backoff_.next(std::chrono::milliseconds{0}))) {
                return false;
            }
            std::lock_guard lock(mutex_);
            spool_maybe_more_ = true;
            continue;
        }
        if (!held_.empty()) {
            views.clear();
            for (const auto &held : held_) {
                views.push_back(held.alert->view());
            }
            return true;
        }
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return false; // nothing left to drain
        }
    }
}

bool OutputWorker::read_spool()
{
    auto wanted = max_batch - held_.size();
    auto entries = spool_->peek(name_, wanted, last_read_id_);
    if (!entries) {
        report_spool_error(entries.error());
        return false;
    }
    if (entries->size() == wanted) {
        // There may be more than it asked for (a backlog, or what waited from
        // before a restart): read again once these are done, notified or not.
        std::lock_guard lock(mutex_);
        spool_maybe_more_ = true;
    }
    for (auto &entry : *entries) {
        last_read_id_ = std::max(last_read_id_, entry.id);
        auto decoded = SpooledAlert::decode(entry.alert);
        if (decoded) {
            held_.push_back(HeldAlert{entry.id, std::move(*decoded)});
            continue;
        }
        // Not what this vigil writes (damaged, or from another version): no
        // retry can deliver it, so it goes the way of a rejected alert.
        uint64_t ids[] = {entry.id};
        if (auto removed = spool_->reject(name_, ids, decoded.error()); !removed) {
            report_spool_error(removed.error());
        }
        counters_.rejected.fetch_add(1, std::memory_order_relaxed);
        if (auto suppressed = reject_log_.allow()) {
            spdlog::error("output {}: spool entry {} cannot be read ({}); dropped it{}", name_, entry.id,
                          decoded.error(), suppressed_note(*suppressed));
        }
    }
    return true;
}

bool OutputWorker::deliver(const std::string &request, std::size_t count)
{
    for (;;) {
        vigil_send_result result{};
        result.struct_size = sizeof(result);
        hooks_->send(instance_, request.data(), request.size(), &result);
        result.reason[sizeof(result.reason) - 1] = '\0';
        std::string_view reason = result.reason;

        if (result.status == VIGIL_SEND_OK) {
            note_send_recovered();
            complete(count, true, {});
            return true;
        }
        if (result.status == VIGIL_SEND_RETRY) {
            counters_.retried_sends.fetch_add(1, std::memory_order_relaxed);
            note_send_failing(reason);
            auto asked = std::chrono::milliseconds{std::min(result.retry_after_ms, longest_retry_after_ms)};
            // The same request is sent again: the alerts in it are never dropped for a retry.
            if (!wait_before_retry(backoff_.next(asked))) {
                return false;
            }
            continue;
        }
        // REJECT, or a status this sensor does not know: retrying would not help.
        auto why = result.status == VIGIL_SEND_REJECT ? reason : std::string_view("unknown send status");
        report_rejected(count, why);
        complete(count, false, why.empty() ? std::string_view("no reason given") : why);
        return true;
    }
}

bool OutputWorker::wait_before_retry(Clock::duration wait)
{
    std::unique_lock lock(mutex_);
    bool was_stopping = stopping_;
    auto until = Clock::now() + wait;
    if (was_stopping) {
        until = std::min(until, deadline_);
    }
    // A stop request ends the wait early, so that draining starts at once.
    stop_requested_.wait_until(lock, until, [&] { return stopping_ != was_stopping; });
    return !stopping_ || Clock::now() < deadline_;
}

void OutputWorker::complete(std::size_t count, bool delivered, std::string_view reason)
{
    if (spool_ != nullptr) {
        finish_spooled(count, delivered, reason);
    } else {
        finish(count, delivered ? counters_.delivered : counters_.rejected);
    }
}

void OutputWorker::finish_spooled(std::size_t count, bool delivered, std::string_view reason)
{
    count = std::min(count, held_.size());
    if (count == 0) {
        return;
    }
    // A failure to remove them is logged and not retried: they stay in the
    // file and are sent again after a restart (at least once), while this run
    // goes on from the next ones.
    if (delivered) {
        if (auto removed = spool_->acknowledge(name_, held_[count - 1].id); !removed) {
            report_spool_error(removed.error());
        }
        counters_.delivered.fetch_add(count, std::memory_order_relaxed);
    } else {
        std::vector<uint64_t> ids;
        ids.reserve(count);
        for (std::size_t index = 0; index < count; ++index) {
            ids.push_back(held_[index].id);
        }
        if (auto removed = spool_->reject(name_, ids, reason); !removed) {
            report_spool_error(removed.error());
        }
        counters_.rejected.fetch_add(count, std::memory_order_relaxed);
    }
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(count));
}

void OutputWorker::finish(std::size_t count, std::atomic<uint64_t> &outcome)
{
    uint64_t dropped_while_full = 0;
    bool report_room = false;
    {
        std::lock_guard lock(mutex_);
        count = std::min(count, queue_.size());
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        outcome.fetch_add(count, std::memory_order_relaxed);
        // Reported once it is half empty, so that a queue hovering at its
        // bound does not log every time it crosses it.
        if (queue_full_reported_ && queue_.size() <= capacity_ / 2) {
            queue_full_reported_ = false;
            report_room = true;
            dropped_while_full = counters_.dropped_queue_full.load(std::memory_order_relaxed) - dropped_before_full_;
        }
    }
    if (report_room) {
        spdlog::info("output {}: queue has room again; {} alerts were dropped while it was full", name_,
                     dropped_while_full);
    }
}

void OutputWorker::abandon_queue()
{
    if (spool_ != nullptr) {
        // Nothing is lost: what was not acknowledged stays in the spool.
        held_.clear();
        if (auto waiting = spool_->pending(name_); waiting.entries > 0) {
            spdlog::warn("output {}: {} alerts were not delivered before it stopped; they wait in the spool {} "
                         "and are delivered after the next start",
                         name_, waiting.entries, spool_->path());
        }
        return;
    }
    std::size_t abandoned = 0;
    {
        std::lock_guard lock(mutex_);
        abandoned = queue_.size();
        queue_.clear();
        counters_.dropped_at_stop.fetch_add(abandoned, std::memory_order_relaxed);
    }
    if (abandoned > 0) {
        spdlog::warn("output {}: {} alerts were still queued when it stopped and were not delivered", name_, abandoned);
    }
}

void OutputWorker::report_format_error(int error, const vigil_alert &dropped)
{
    if (auto suppressed = reject_log_.allow()) {
        spdlog::error("output {}: could not format alert {}: {}; dropped it{}", name_,
                      dropped.rule != nullptr ? dropped.rule : "?",
                      std::error_code(-error, std::generic_category()).message(), suppressed_note(*suppressed));
    }
}

void OutputWorker::report_rejected(std::size_t count, std::string_view reason)
{
    if (auto suppressed = reject_log_.allow()) {
        spdlog::error("output {}: rejected {} alerts, dropped them: {}{}", name_, count,
                      reason.empty() ? "no reason given" : reason, suppressed_note(*suppressed));
    }
}

void OutputWorker::note_send_failing(std::string_view reason)
{
    ++failed_sends_;
    if (!send_failing_) {
        send_failing_ = true;
        spdlog::warn("output {}: send failed, retrying with backoff: {}", name_,
                     reason.empty() ? "no reason given" : reason);
    }
}

void OutputWorker::report_spool_error(const std::string &error)
{
    if (auto suppressed = spool_error_log_.allow()) {
        spdlog::error("output {}: spool: {}{}", name_, error, suppressed_note(*suppressed));
    }
}

void OutputWorker::note_send_recovered()
{
    backoff_.reset();
    if (send_failing_) {
        spdlog::info("output {}: delivering again after {} failed sends", name_, failed_sends_);
        send_failing_ = false;
        failed_sends_ = 0;
    }
}

} // namespace vigil::delivery
