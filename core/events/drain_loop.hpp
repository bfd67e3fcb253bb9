// SPDX-License-Identifier: Apache-2.0
// The one loop that drains every ring buffer.
//
// BPF programs submit without waking the sensor unless a ring is filling up or
// a record is urgent, so the loop sleeps on one epoll (over every ring) for at
// most the drain interval and then consumes each ring in turn. Each ring gets
// a budget per round, so a flooded ring cannot starve the others: the core's
// lifecycle ring (registered first) keeps the process table current.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/probes/object_loader.hpp"
#include "core/util/file_descriptor.hpp"

struct ring_buffer;

namespace vigil::events {

// Receives every record of one ring. Called on the drain thread.
class RecordHandler {
public:
    virtual ~RecordHandler() = default;
    virtual void handle_record(const void *data, std::size_t size) = 0;
};

// Takes what waits in the rings whose records go to a handler, outside the
// drain's round. The event router asks it to catch up on the core's ring;
// its tests hand it a fake one.
class RingCatchUp {
public:
    virtual ~RingCatchUp() = default;
    virtual std::size_t catch_up(const RecordHandler &handler) = 0;
};

struct RingStatistics {
    std::string owner;
    std::string name;
    uint64_t records = 0;
    uint64_t dropped = 0;                  // records the kernel had no room for, all kinds
    std::vector<uint64_t> dropped_by_kind; // indexed by event kind
};

class DrainLoop : public RingCatchUp {
public:
    // @budget_per_ring: records taken from one ring before moving on to the next.
    explicit DrainLoop(std::size_t budget_per_ring = 4096);
    ~DrainLoop();
    DrainLoop(const DrainLoop &) = delete;
    DrainLoop &operator=(const DrainLoop &) = delete;

    // @handler must outlive the loop. Returns false (and says why in @error) if libbpf refuses the ring.
    bool add_ring(const std::string &owner, const probes::RingBuffer &ring, RecordHandler &handler, std::string &error);

    // Consumes from every ring once, up to each one's budget. Returns records
    // consumed; @saturated is set when some ring still had more.
    std::size_t drain_once(bool &saturated);

    // Consumes what is waiting now in the rings whose records go to @handler,
    // outside the round (up to one budget per ring). Records of different
    // rings are drained in turn, not in the order they happened: a handler of
    // one ring calls this when a record cannot be judged before another ring's
    // earlier records are seen. Must not be called from @handler itself.
    std::size_t catch_up(const RecordHandler &handler) override;

    // Sleeps until a ring wakes the sensor or @timeout_ms passes.
    void wait(int timeout_ms);

    // Reads the kernel's drop counters (a few syscalls per ring: once a second, not per event).
    std::vector<RingStatistics> statistics() const;

    std::size_t ring_count() const { return rings_.size(); }

private:
    struct Ring;
    static int on_record(void *context, void *data, std::size_t size);

    std::size_t budget_per_ring_;
    std::size_t caught_up_this_round_ = 0; // records catch_up took during drain_once
    util::FileDescriptor epoll_fd_;
    std::vector<std::unique_ptr<Ring>> rings_;
};

} // namespace vigil::events
