// SPDX-License-Identifier: Apache-2.0
// The sensor's table of processes, kept from the kernel's fork, exec and exit
// events and seeded from /proc at start.
//
// Bounded: when full, processes that exited go first, then the ones seen least
// recently, in batches so the cost is amortised. Entries are recycled (their
// strings keep their capacity), so once warm the table allocates nothing.
// Exited processes stay for a grace period: their last events may still be
// waiting in another ring buffer when the exit is read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>

namespace vigil::processes {

struct ProcessEntry {
    uint32_t tgid = 0;
    uint32_t ns_tgid = 0;
    uint32_t parent_tgid = 0; // the creator, even after a reaper adopted the process
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t start_ns = 0;
    uint64_t cgroup_id = 0;
    uint32_t mnt_ns = 0;
    uint32_t pid_ns = 0;
    uint32_t net_ns = 0;
    bool exited = false;
    uint64_t exited_at_ns = 0;
    uint64_t last_seen_ns = 0;
    std::string exe;     // the path it exec'd; its comm until an exec is seen
    std::string cmdline; // arguments joined by spaces

    // The ABI view handed to plugins; pointers into the strings above.
    const vigil_process *view() const;

private:
    mutable vigil_process view_{};
};

class ProcessTable {
public:
    ProcessTable(std::size_t capacity, uint64_t exited_grace_ns);

    void on_exec(const vigil_process_exec &event);
    void on_fork(const vigil_process_fork &event);
    void on_exit(const vigil_process_exit &event);
    // What any event's header says about its process (cgroup, namespaces, ids);
    // creates an entry from the header alone for a process not seen before.
    ProcessEntry &observe(const vigil_event_header &header);

    // Adds a process found in /proc at start; does not replace an entry the kernel already told about.
    void seed(ProcessEntry entry);

    const ProcessEntry *find(uint32_t tgid) const;
    const ProcessEntry *find_in_namespace(uint32_t pid_ns, uint32_t ns_tgid) const;

    // The parent, grandparent, ... of @tgid, at most out.size() of them. The
    // chain ends after a pid namespace's init (a container's entry point, or
    // pid 1); for a process @in_container it also ends where the chain leaves
    // the subject's cgroup (the runtime that exec'd into the container).
    std::size_t ancestry(uint32_t tgid, bool in_container, std::span<const ProcessEntry *> out) const;

    // Forgets processes that exited more than the grace period before @now_ns.
    void expire(uint64_t now_ns);

    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }
    uint64_t evictions() const { return evictions_; }

private:
    using Map = std::unordered_map<uint32_t, ProcessEntry>;

    ProcessEntry &insert(uint32_t tgid);
    void make_room();
    void recycle(Map::iterator position);

    std::size_t capacity_;
    uint64_t exited_grace_ns_;
    Map entries_;
    std::vector<Map::node_type> spare_nodes_;
    uint64_t evictions_ = 0;
};

} // namespace vigil::processes
