// SPDX-License-Identifier: Apache-2.0
// Cgroup id -> container, for every event the sensor handles: the id comes
// from the event, the answer goes to detectors and into alerts.
#pragma once

#include "core/containers/cgroup_directory.hpp"
#include "core/containers/container_info.hpp"
#include "core/containers/lru_table.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace vigil::containers {

struct ResolverStatistics {
    uint64_t hits = 0;                // answered from the table
    uint64_t misses = 0;              // had to ask the cgroup directory
    uint64_t evictions = 0;           // entries dropped to stay within capacity
    std::size_t negative_entries = 0; // entries now held that say "not a container"
};

// Used from one thread only (the sensor's event thread).
class ContainerResolver {
public:
    // Called for every container the resolver makes, before it is handed
    // out: it may set the container's pod facts.
    using NewContainerHook = std::function<void(ContainerInfo &)>;

    // Keeps at most @capacity answers, evicting the least recently used.
    // @directory must outlive the resolver. @sensor_started_ns (CLOCK_BOOTTIME)
    // tells a container found later from one that was there at the start.
    ContainerResolver(CgroupDirectory &directory, std::size_t capacity, uint64_t sensor_started_ns = 0);

    void on_new_container(NewContainerHook hook) { new_container_hook_ = std::move(hook); }

    // The container of @cgroup_id, or nullptr for a host cgroup or an unknown id.
    // Positive and negative answers are both remembered: after the first call
    // for an id, this is a hash lookup, without allocation, I/O or locks.
    // The pointer stays valid until the next call of resolve() or on_cgroup_*().
    // More precisely, for callers that must hold one across such calls (a
    // plugin hook asking for other containers while it handles an event):
    // the answer just returned is the most recently used, so it is destroyed
    // only by on_cgroup_created() for the same id, or once capacity() other
    // distinct ids have been resolved or created since.
    const ContainerInfo *resolve(uint64_t cgroup_id);

    // From the kernel's cgroup-created event, of time @created_ns
    // (CLOCK_BOOTTIME): when the container started. Also tells the directory,
    // and replaces any answer held for the id (an event that raced ahead of
    // the creation may have left "unknown" there).
    void on_cgroup_created(uint64_t cgroup_id, std::string_view path, uint64_t created_ns = 0);

    // Calls @visit for every container held, without changing their order of
    // use. For updating their pod facts: event thread, never during a hook.
    void for_each_container(const std::function<void(ContainerInfo &)> &visit);

    // From the kernel's cgroup-removed event. The answer is kept for events
    // still in flight from the container's last moments; the table's LRU
    // rule drops it once nothing asks for it. Cgroup ids are not reused
    // within a boot on 64-bit kernels, so keeping it cannot mislabel a newer
    // cgroup.
    void on_cgroup_removed(uint64_t cgroup_id);

    std::size_t size() const { return answers_.size(); }
    std::size_t capacity() const { return answers_.capacity(); }
    const ResolverStatistics &statistics() const { return statistics_; }

private:
    // nullptr: not a container. Held by pointer so a ContainerInfo never moves.
    using Answer = std::unique_ptr<ContainerInfo>;

    // @start: nullopt for a container found by asking the directory (one from before the start, or
    // whose creation event was missed): it is estimated from the cgroup's directory.
    Answer answer_for(uint64_t cgroup_id, std::string_view path, std::optional<ContainerStart> start) const;
    const ContainerInfo *remember(uint64_t cgroup_id, Answer answer);

    CgroupDirectory &directory_;
    uint64_t sensor_started_ns_;
    NewContainerHook new_container_hook_;
    LruTable<uint64_t, Answer> answers_;
    ResolverStatistics statistics_;
};

} // namespace vigil::containers
