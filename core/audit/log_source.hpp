// SPDX-License-Identifier: Apache-2.0
// The log-file source: a LogFollower polled on a thread of its own every
// 200 ms, each line parsed there (not on the event thread) and pushed to the
// queue. When the queue is full it waits and tries again: the file holds the
// lines meanwhile, so a slow detector delays audit events but loses none.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "core/audit/audit_queue.hpp"
#include "core/audit/log_follower.hpp"
#include "core/audit/parse_failure.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::audit {

struct LogSourceStatistics {
    std::atomic<uint64_t> lines{0};
    std::atomic<uint64_t> events{0};
    std::atomic<uint64_t> rotations{0};
    std::atomic<uint64_t> truncations{0};
    std::atomic<uint64_t> queue_full_waits{0};
};

class LogSource {
public:
    LogSource(std::string path, StartAt start_at, AuditQueue &queue, ParseFailureCounts &failures,
              std::chrono::milliseconds poll_interval = std::chrono::milliseconds(200));
    ~LogSource();
    LogSource(const LogSource &) = delete;
    LogSource &operator=(const LogSource &) = delete;

    void start();
    void stop();
    const LogSourceStatistics &statistics() const { return statistics_; }

private:
    void run();
    void handle_line(std::string_view line);
    void flush_pending();

    LogFollower follower_;
    AuditQueue &queue_;
    ParseFailureCounts &failures_;
    std::chrono::milliseconds poll_interval_;
    std::vector<AuditEvent> pending_;
    uint64_t overlong_seen_ = 0;
    util::LogThrottle malformed_log_;
    util::LogThrottle missing_log_;
    LogSourceStatistics statistics_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace vigil::audit
