// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_handle_lookup.hpp"

#include "core/util/file_descriptor.hpp"

#include <fcntl.h>
#include <limits.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace vigil::containers {
namespace {

// The kernfs file handle type (FILEID_KERNFS in the kernel's
// include/linux/exportfs.h, not exported to user space): the handle is the
// node's 64-bit id, which for a cgroup is its id and its inode number.
constexpr int kernfs_file_handle_type = 0xfe;

// What d_path appends to a directory removed while we held it open.
constexpr std::string_view deleted_suffix = " (deleted)";

// struct file_handle ends in a flexible array; this gives it room for the id.
struct alignas(file_handle) KernfsFileHandle {
    std::array<unsigned char, sizeof(file_handle) + sizeof(uint64_t)> bytes{};

    explicit KernfsFileHandle(uint64_t cgroup_id)
    {
        file_handle header{};
        header.handle_bytes = sizeof(uint64_t);
        header.handle_type = kernfs_file_handle_type;
        std::memcpy(bytes.data(), &header, sizeof(header));
        std::memcpy(bytes.data() + sizeof(file_handle), &cgroup_id, sizeof(cgroup_id));
    }

    file_handle *get() { return reinterpret_cast<file_handle *>(bytes.data()); }
};

} // namespace

std::expected<std::string, int> lookup_cgroup_path(int mount_descriptor, std::string_view mount_point,
                                                   uint64_t cgroup_id)
{
    KernfsFileHandle handle(cgroup_id);
    // O_PATH: we only want the name, not to read the directory.
    util::FileDescriptor cgroup(open_by_handle_at(mount_descriptor, handle.get(), O_PATH | O_CLOEXEC));
    if (!cgroup.is_open())
        return std::unexpected(errno);

    std::string link = "/proc/self/fd/" + std::to_string(cgroup.get());
    std::array<char, PATH_MAX> target{};
    auto length = readlink(link.c_str(), target.data(), target.size());
    if (length < 0)
        return std::unexpected(errno);
    if (static_cast<std::size_t>(length) >= target.size())
        return std::unexpected(ENAMETOOLONG);
    std::string_view path(target.data(), static_cast<std::size_t>(length));

    if (path.ends_with(deleted_suffix))
        return std::unexpected(ESTALE);
    // The kernel names the directory through the mount @mount_descriptor is
    // on, as our root sees it. If that does not start with @mount_point (we
    // were given another name for the mount, or we are chrooted), we cannot
    // make it relative.
    if (!path.starts_with(mount_point))
        return std::unexpected(EXDEV);
    path.remove_prefix(mount_point.size());
    if (path.empty())
        return std::string("/");
    if (path.front() != '/')
        return std::unexpected(EXDEV);
    return std::string(path);
}

} // namespace vigil::containers
