// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_tree_walk.hpp"

#include <dirent.h>
#include <fcntl.h> // AT_SYMLINK_NOFOLLOW
#include <sys/stat.h>

#include <deque>
#include <memory>

namespace vigil::containers {
namespace {

struct DirectoryCloser {
    void operator()(DIR *directory) const { closedir(directory); }
};
using OpenDirectory = std::unique_ptr<DIR, DirectoryCloser>;

std::string child_path(const std::string &parent, std::string_view name)
{
    std::string path = parent == "/" ? std::string{} : parent;
    path += '/';
    path += name;
    return path;
}

} // namespace

std::size_t walk_cgroup_tree(const std::string &mount_point, const CgroupVisitor &visit)
{
    struct stat root_status {};
    if (stat(mount_point.c_str(), &root_status) != 0 || !S_ISDIR(root_status.st_mode))
        return 0;
    std::size_t visited = 1;
    if (!visit(root_status.st_ino, "/"))
        return visited;

    // Paths relative to the mount point whose children are still to be listed.
    std::deque<std::string> pending{"/"};
    while (!pending.empty()) {
        std::string parent = std::move(pending.front());
        pending.pop_front();
        std::string absolute = parent == "/" ? mount_point : mount_point + parent;
        OpenDirectory listing(opendir(absolute.c_str()));
        if (!listing)
            continue; // removed since we saw it
        while (const dirent *entry = readdir(listing.get())) {
            std::string_view name = entry->d_name;
            if (name == "." || name == ".." || (entry->d_type != DT_DIR && entry->d_type != DT_UNKNOWN))
                continue;
            struct stat status {};
            if (fstatat(dirfd(listing.get()), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISDIR(status.st_mode))
                continue;
            std::string path = child_path(parent, name);
            ++visited;
            if (!visit(status.st_ino, path))
                return visited;
            pending.push_back(std::move(path));
        }
    }
    return visited;
}

} // namespace vigil::containers
