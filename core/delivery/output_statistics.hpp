// SPDX-License-Identifier: Apache-2.0
// Counters of one output's delivery, for metrics and the shutdown report.
#pragma once

#include <cstdint>

namespace vigil::delivery {

struct OutputStatistics {
    uint64_t enqueued = 0;           // accepted into the queue
    uint64_t delivered = 0;          // sent and acknowledged by the output
    uint64_t retried_sends = 0;      // sends the output asked to retry
    uint64_t rejected = 0;           // dropped because format failed or send said REJECT
    uint64_t dropped_queue_full = 0; // refused by enqueue because the queue was full
    uint64_t dropped_at_stop = 0;    // still queued when the drain deadline passed, or offered after stop
    // With a spool:
    uint64_t dropped_spool_full = 0;  // refused by the spool because a bound was reached
    uint64_t dropped_spool_error = 0; // not stored because the spool's storage failed
    // Waiting for delivery: in the spool (kept across restarts), or in the in-memory queue.
    uint64_t pending = 0;
};

} // namespace vigil::delivery
