// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_directory.hpp"

#include "core/containers/cgroup_handle_lookup.hpp"
#include "core/containers/cgroup_tree_walk.hpp"

#include <fcntl.h>

#include <cerrno>
#include <utility>

namespace vigil::containers {
namespace {

// "/sys/fs/cgroup/" and "/sys/fs/cgroup" are one mount point, and the kernel
// names paths without the trailing slash.
std::string without_trailing_slashes(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path;
}

// Errors that every lookup would get again, whatever the id: no capability,
// a kernel or filesystem without cgroup file handles, a mount we cannot name
// paths against. Others (ESTALE: the cgroup is gone; EMFILE; ...) concern one
// lookup only.
bool means_lookups_impossible(int error)
{
    return error == EPERM || error == EOPNOTSUPP || error == ENOSYS || error == EINVAL || error == EBADF ||
           error == EXDEV;
}

} // namespace

CgroupDirectory::CgroupDirectory(std::string mount_point, std::size_t capacity)
    : mount_point_(without_trailing_slashes(std::move(mount_point))), paths_(capacity)
{
    if (mount_point_.empty()) {
        lookup_failure_ = ENOENT; // no hierarchy: not "/", whose file handles mean something else
        return;
    }
    mount_ = util::FileDescriptor(open(mount_point_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!mount_.is_open())
        lookup_failure_ = errno;
}

std::size_t CgroupDirectory::scan()
{
    std::size_t recorded = 0;
    walk_cgroup_tree(mount_point_, [&](uint64_t cgroup_id, std::string_view path) {
        if (paths_.full())
            return false;
        paths_.insert_or_assign(cgroup_id, std::string(path));
        ++recorded;
        return true;
    });
    return recorded;
}

void CgroupDirectory::add(uint64_t cgroup_id, std::string_view path)
{
    paths_.insert_or_assign(cgroup_id, std::string(path));
}

void CgroupDirectory::remove(uint64_t cgroup_id)
{
    paths_.erase(cgroup_id);
}

std::optional<std::string> CgroupDirectory::path_of(uint64_t cgroup_id)
{
    if (const std::string *known = paths_.find(cgroup_id))
        return *known;
    if (lookup_failure_)
        return std::nullopt;
    // Paths below a mount at "/" already start with the '/' we keep.
    std::string_view prefix = mount_point_ == "/" ? std::string_view{} : std::string_view(mount_point_);
    auto looked_up = lookup_cgroup_path(mount_.get(), prefix, cgroup_id);
    if (!looked_up) {
        // Stop paying a system call per unknown id when none can succeed.
        if (means_lookups_impossible(looked_up.error()))
            lookup_failure_ = looked_up.error();
        return std::nullopt;
    }
    paths_.insert_or_assign(cgroup_id, *looked_up);
    return looked_up.value();
}

} // namespace vigil::containers
