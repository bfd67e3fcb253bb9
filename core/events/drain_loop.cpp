// SPDX-License-Identifier: Apache-2.0
#include "core/events/drain_loop.hpp"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <vigil/bpf/event.h>

namespace vigil::events {
namespace {

// Returned by the record callback to make libbpf stop this ring for this round.
// libbpf has already advanced past the record when it sees it, so nothing is lost.
constexpr int budget_reached = -EAGAIN;

} // namespace

struct DrainLoop::Ring {
    std::string owner;
    probes::RingBuffer map;
    RecordHandler *handler = nullptr;
    ring_buffer *consumer = nullptr;
    std::size_t budget = 0;
    std::size_t taken_this_round = 0;
    uint64_t records = 0;

    ~Ring()
    {
        if (consumer != nullptr) {
            ring_buffer__free(consumer);
        }
    }
};

DrainLoop::DrainLoop(std::size_t budget_per_ring)
    : budget_per_ring_(budget_per_ring), epoll_fd_(epoll_create1(EPOLL_CLOEXEC))
{
}

DrainLoop::~DrainLoop()
{
    // The rings first: their consumers were registered with the epoll instance.
    rings_.clear();
}

int DrainLoop::on_record(void *context, void *data, std::size_t size)
{
    auto &ring = *static_cast<Ring *>(context);
    ring.handler->handle_record(data, size);
    ++ring.records;
    if (++ring.taken_this_round >= ring.budget) {
        return budget_reached;
    }
    return 0;
}

bool DrainLoop::add_ring(const std::string &owner, const probes::RingBuffer &ring, RecordHandler &handler,
                         std::string &error)
{
    auto entry = std::make_unique<Ring>();
    entry->owner = owner;
    entry->map = ring;
    entry->handler = &handler;
    entry->budget = budget_per_ring_;
    entry->consumer = ring_buffer__new(ring.map_fd, on_record, entry.get(), nullptr);
    if (entry->consumer == nullptr) {
        error = std::string("ring_buffer__new: ") + std::strerror(errno);
        return false;
    }
    // The ring's own epoll fd goes into ours: one wait covers every ring.
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = entry.get();
    if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, ring_buffer__epoll_fd(entry->consumer), &event) != 0) {
        error = std::string("epoll_ctl: ") + std::strerror(errno);
        return false;
    }
    rings_.push_back(std::move(entry));
    return true;
}

std::size_t DrainLoop::drain_once(bool &saturated)
{
    std::size_t total = 0;
    saturated = false;
    caught_up_this_round_ = 0;
    for (auto &ring : rings_) {
        ring->taken_this_round = 0;
        int result = ring_buffer__consume(ring->consumer);
        if (result == budget_reached) {
            saturated = true;
        }
        total += ring->taken_this_round;
    }
    return total + caught_up_this_round_;
}

std::size_t DrainLoop::catch_up(const RecordHandler &handler)
{
    std::size_t total = 0;
    for (auto &ring : rings_) {
        if (ring->handler != &handler) {
            continue;
        }
        // drain_once reads a ring's count only right after that ring's own
        // turn, so the count is free to reuse here; the round's total adds
        // what was caught up.
        ring->taken_this_round = 0;
        ring_buffer__consume(ring->consumer);
        total += ring->taken_this_round;
    }
    caught_up_this_round_ += total;
    return total;
}

void DrainLoop::wait(int timeout_ms)
{
    epoll_event events[16];
    epoll_wait(epoll_fd_.get(), events, 16, timeout_ms);
}

std::vector<RingStatistics> DrainLoop::statistics() const
{
    static const int possible_cpus = libbpf_num_possible_cpus();
    std::vector<uint64_t> per_cpu(static_cast<std::size_t>(possible_cpus > 0 ? possible_cpus : 1));
    std::vector<RingStatistics> all;
    for (const auto &ring : rings_) {
        RingStatistics statistics;
        statistics.owner = ring->owner;
        statistics.name = ring->map.name;
        statistics.records = ring->records;
        statistics.dropped_by_kind.assign(VIGIL_KIND_LIMIT, 0);
        if (ring->map.drops_map_fd >= 0) {
            for (uint32_t kind = 0; kind < VIGIL_KIND_LIMIT; ++kind) {
                if (bpf_map_lookup_elem(ring->map.drops_map_fd, &kind, per_cpu.data()) != 0) {
                    continue;
                }
                uint64_t sum = 0;
                for (auto value : per_cpu) {
                    sum += value;
                }
                statistics.dropped_by_kind[kind] = sum;
                statistics.dropped += sum;
            }
        }
        all.push_back(std::move(statistics));
    }
    return all;
}

} // namespace vigil::events
