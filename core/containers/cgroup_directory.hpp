// SPDX-License-Identifier: Apache-2.0
// Cgroup id -> cgroup path. Events carry only the id of the acting task's
// cgroup (the inode number of its directory in the v2 hierarchy); the path is
// what says which container it is.
#pragma once

#include "core/containers/cgroup_mount.hpp"
#include "core/containers/lru_table.hpp"
#include "core/util/file_descriptor.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::containers {

// Used from one thread. Paths are relative to the hierarchy's root and start
// with '/', as the kernel's cgroup events give them.
class CgroupDirectory {
public:
    // @mount_point: where the cgroup v2 hierarchy is mounted (find_cgroup2_mount()).
    // At most @capacity paths are kept; when full, the least recently used goes.
    // An empty mount point (no hierarchy) or one that cannot be opened leaves
    // a directory that only knows what add() tells it.
    CgroupDirectory(std::string mount_point, std::size_t capacity);

    // Walks the hierarchy once (at startup) and records what it finds, until
    // the table is full. Returns how many cgroups it recorded.
    std::size_t scan();

    // From the kernel's cgroup-created events.
    void add(uint64_t cgroup_id, std::string_view path);
    // From cgroup-removed events.
    void remove(uint64_t cgroup_id);

    // The path of @cgroup_id: from the table, else asked of the kernel and
    // remembered. nullopt if the cgroup no longer exists, or the kernel cannot
    // be asked (see lookup_failure()).
    std::optional<std::string> path_of(uint64_t cgroup_id);

    std::size_t size() const { return paths_.size(); }
    std::size_t capacity() const { return paths_.capacity(); }
    const std::string &mount_point() const { return mount_point_; }

    // Why path_of() cannot ask the kernel (an errno: EPERM without
    // CAP_DAC_READ_SEARCH, EOPNOTSUPP on a kernel without cgroup file
    // handles, or whatever opening the mount point failed with), for the
    // caller to log; nullopt while asking works.
    std::optional<int> lookup_failure() const { return lookup_failure_; }

private:
    std::string mount_point_;
    util::FileDescriptor mount_;
    LruTable<uint64_t, std::string> paths_;
    std::optional<int> lookup_failure_;
};

} // namespace vigil::containers
