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
                           std::size_t queue_capacity, BackoffLimits backoff)
    : name_(std::move(name)), hooks_(checked_hooks(hooks, name_)), instance_(instance),
      capacity_(std::max<std::size_t>(queue_capacity, 1)), backoff_(backoff)
{
    thread_ = std::thread([this] { run(); });
}

OutputWorker::~OutputWorker() { stop(std::chrono::milliseconds{0}); }

bool OutputWorker::enqueue(std::shared_ptr<const RenderedAlert> alert)
{
    bool accepted = false;
    bool report_full = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
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
    return OutputStatistics{
        counters_.enqueued.load(relaxed),      counters_.delivered.load(relaxed),
        counters_.retried_sends.load(relaxed), counters_.rejected.load(relaxed),
        counters_.dropped_queue_full.load(relaxed), counters_.dropped_at_stop.load(relaxed),
    };
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
            finish(1, counters_.rejected);
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
        views.push_back(queue_[index]->view());
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
            finish(count, counters_.delivered);
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
        report_rejected(count, result.status == VIGIL_SEND_REJECT ? reason : "unknown send status");
        finish(count, counters_.rejected);
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
    std::size_t abandoned = 0;
    {
        std::lock_guard lock(mutex_);
        abandoned = queue_.size();
        queue_.clear();
        counters_.dropped_at_stop.fetch_add(abandoned, std::memory_order_relaxed);
    }
    if (abandoned > 0) {
        spdlog::warn("output {}: {} alerts were still queued when it stopped and were not delivered", name_,
                     abandoned);
    }
}

void OutputWorker::report_format_error(int error, const vigil_alert &dropped)
{
    if (auto suppressed = reject_log_.allow()) {
        spdlog::error("output {}: could not format alert {}: {}; dropped it{}", name_,
                      dropped.rule != nullptr ? dropped.rule : "?", std::error_code(-error, std::generic_category()).message(),
                      suppressed_note(*suppressed));
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
