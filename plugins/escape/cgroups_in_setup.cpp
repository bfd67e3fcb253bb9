// SPDX-License-Identifier: Apache-2.0
#include "cgroups_in_setup.hpp"

namespace vigil_escape {

void CgroupsInSetup::created(uint64_t cgroup)
{
    if (!cgroups_.insert(cgroup).second) {
        return;
    }
    order_.push_back(cgroup);
    // A cgroup nothing ever execs in (a pod's parent) must not stay forever.
    while (cgroups_.size() > capacity_ || order_.size() > 2 * capacity_) {
        cgroups_.erase(order_.front());
        order_.pop_front();
    }
}

bool CgroupsInSetup::exec_is_runtime(uint64_t cgroup, bool in_host_mount_namespace)
{
    if (!cgroups_.contains(cgroup)) {
        return false;
    }
    if (in_host_mount_namespace) {
        return true;
    }
    cgroups_.erase(cgroup);
    return false;
}

} // namespace vigil_escape
