// SPDX-License-Identifier: Apache-2.0
// Container cgroups that the runtime is still setting up: created since the
// sensor started, and no process in them has exec'd inside the container's
// own mount namespace yet (the entry point starting). While a cgroup is in
// that state, runc init may exec (re-executing itself from a memfd) in the
// host's mount namespace after the runtime moved it into the cgroup: that is
// the runtime, not a process that escaped. The kernel side keeps the same
// state for its own records; this is the user-space copy for the core's exec
// events, which do not carry the kernel side's flag.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_set>

namespace vigil_escape {

class CgroupsInSetup {
public:
    explicit CgroupsInSetup(std::size_t capacity) : capacity_(capacity) {}

    void created(uint64_t cgroup);
    // An exec in @cgroup. True when it is the runtime's: the cgroup is being
    // set up and the exec runs in the host's mount namespace. An exec in any
    // other mount namespace ends the set-up.
    bool exec_is_runtime(uint64_t cgroup, bool in_host_mount_namespace);
    bool contains(uint64_t cgroup) const { return cgroups_.contains(cgroup); }

private:
    std::size_t capacity_;
    std::unordered_set<uint64_t> cgroups_;
    std::deque<uint64_t> order_; // oldest first; may hold ids already erased
};

} // namespace vigil_escape
