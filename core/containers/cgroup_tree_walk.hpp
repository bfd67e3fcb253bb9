// SPDX-License-Identifier: Apache-2.0
// Listing the cgroups that already exist when the sensor starts: the kernel
// only reports cgroups created after our probes attached.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace vigil::containers {

// Called with a cgroup's id (its directory's inode number) and its path
// relative to the mount point ("/" for the root). Returns false to stop.
using CgroupVisitor = std::function<bool(uint64_t cgroup_id, std::string_view path)>;

// Visits the cgroup at @mount_point and every cgroup below it, breadth first,
// until @visit returns false. Directories that vanish during the walk are
// skipped. Returns how many cgroups were visited.
std::size_t walk_cgroup_tree(const std::string &mount_point, const CgroupVisitor &visit);

} // namespace vigil::containers
