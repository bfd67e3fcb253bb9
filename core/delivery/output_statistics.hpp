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
};

} // namespace vigil::delivery
