// SPDX-License-Identifier: Apache-2.0
// Where the cgroup v2 (unified) hierarchy is mounted. Cgroup ids in events
// are inode numbers in that hierarchy, so every id lookup goes through it.
#pragma once

#include <optional>
#include <string>

namespace vigil::containers {

// The mount point of the cgroup v2 hierarchy (fstype cgroup2) listed in
// @mountinfo_path: /sys/fs/cgroup on a pure v2 host, /sys/fs/cgroup/unified on
// a hybrid one. A mount of the hierarchy's root is preferred over a mount of a
// subtree; nullopt if there is no cgroup2 mount at all.
std::optional<std::string> find_cgroup2_mount(const std::string &mountinfo_path = "/proc/self/mountinfo");

} // namespace vigil::containers
