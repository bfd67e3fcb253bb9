// SPDX-License-Identifier: Apache-2.0
#include "core/audit/log_source.hpp"

#include <spdlog/spdlog.h>

#include "core/audit/audit_parser.hpp"

namespace vigil::audit {
namespace {

// Lines parsed before they are pushed together: one lock per batch, not per line.
constexpr std::size_t push_batch = 256;
// Bytes read per poll before the events are handed over, so a huge backlog
// (start_at = beginning on a big file) flows instead of being held in memory.
constexpr std::size_t bytes_per_step = 4 * 1024 * 1024;

} // namespace

LogSource::LogSource(std::string path, StartAt start_at, AuditQueue &queue, ParseFailureCounts &failures,
                     std::chrono::milliseconds poll_interval)
    : follower_(std::move(path), start_at), queue_(queue), failures_(failures), poll_interval_(poll_interval)
{
}

LogSource::~LogSource()
{
    stop();
}

void LogSource::start()
{
    thread_ = std::thread([this] { run(); });
}

void LogSource::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void LogSource::handle_line(std::string_view line)
{
    statistics_.lines.fetch_add(1, std::memory_order_relaxed);
    auto event = parse_event(line, VIGIL_AUDIT_SOURCE_LOG_FILE);
    if (!event) {
        failures_.add(event.error().reason);
        if (auto held = malformed_log_.allow()) {
            spdlog::warn("audit log {}: malformed line skipped: {}{}{} ({} more not logged)", follower_.path(),
                         reason_name(event.error().reason), event.error().detail.empty() ? "" : ": ",
                         event.error().detail, *held);
        }
        return;
    }
    pending_.push_back(std::move(*event));
    if (pending_.size() >= push_batch) {
        flush_pending();
    }
}

// Waits for room rather than dropping: the lines are safe in the file, and the
// follower reads no further until these are handed over.
void LogSource::flush_pending()
{
    while (!pending_.empty()) {
        auto count = pending_.size();
        if (queue_.try_push_all_quietly(pending_)) {
            statistics_.events.fetch_add(count, std::memory_order_relaxed);
            return;
        }
        statistics_.queue_full_waits.fetch_add(1, std::memory_order_relaxed);
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; })) {
            return;
        }
    }
}

void LogSource::run()
{
    auto handler = [this](std::string_view line) { handle_line(line); };
    for (;;) {
        bool more = follower_.poll(handler, bytes_per_step);
        flush_pending();
        const auto &follower = follower_.statistics();
        statistics_.rotations.store(follower.rotations, std::memory_order_relaxed);
        statistics_.truncations.store(follower.truncations, std::memory_order_relaxed);
        for (; overlong_seen_ < follower.overlong_lines; ++overlong_seen_) {
            failures_.add(ParseFailureReason::line_too_long);
        }
        if (!follower_.is_open()) {
            if (auto held = missing_log_.allow()) {
                spdlog::warn("audit log {}: cannot open it yet; trying again every {} ms ({} more not logged)",
                             follower_.path(), poll_interval_.count(), *held);
            }
        }
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        if (!more) {
            if (wake_.wait_for(lock, poll_interval_, [this] { return stopping_; })) {
                return;
            }
        }
    }
}

} // namespace vigil::audit
