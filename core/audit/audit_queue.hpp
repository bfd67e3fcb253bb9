// SPDX-License-Identifier: Apache-2.0
// The hand-off from the threads that receive audit events (webhook, log
// follower) to the event thread. Bounded, so that a flood of audit events
// costs a known amount of memory: a webhook batch that does not fit is refused
// whole (the API server retries it), the log follower waits for room (the
// file keeps the lines). The event thread only ever takes, never waits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "core/audit/audit_event.hpp"

namespace vigil::audit {

struct QueueStatistics {
    uint64_t pushed = 0;
    uint64_t taken = 0;
    uint64_t refused_batches = 0; // batches refused because they did not fit
    uint64_t refused_events = 0;  // the events in them
    std::size_t waiting = 0;
};

class AuditQueue {
public:
    explicit AuditQueue(std::size_t capacity);

    // All of @events or none: false (and counted as refused) when they do not fit.
    // On success @events is left empty.
    bool try_push_all(std::vector<AuditEvent> &events);
    // Without counting a refusal: for a source that waits and tries again.
    bool try_push_all_quietly(std::vector<AuditEvent> &events);

    // Moves up to @limit events, oldest first, into @out (cleared first).
    // Returns true when more are waiting.
    bool take(std::vector<AuditEvent> &out, std::size_t limit);

    std::size_t capacity() const { return capacity_; }
    QueueStatistics statistics() const;

private:
    bool push(std::vector<AuditEvent> &events, bool count_refusal);

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<AuditEvent> events_;
    QueueStatistics statistics_;
};

} // namespace vigil::audit
