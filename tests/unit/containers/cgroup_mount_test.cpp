// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_mount.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

using vigil::containers::find_cgroup2_mount;

namespace {

// A mountinfo file in a temporary path, removed again at the end of the test.
class MountinfoFile {
public:
    explicit MountinfoFile(const std::string &contents)
        : path_("/tmp/vigil-mountinfo-" + std::to_string(getpid()) + "-" + std::to_string(next_number_++))
    {
        std::ofstream(path_) << contents;
    }
    MountinfoFile(const MountinfoFile &) = delete;
    MountinfoFile &operator=(const MountinfoFile &) = delete;
    ~MountinfoFile() { std::remove(path_.c_str()); }
    const std::string &path() const { return path_; }

private:
    static inline int next_number_ = 0;
    std::string path_;
};

const char *hybrid_host = "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
                          "31 25 0:28 / /sys/fs/cgroup rw,relatime shared:9 - tmpfs tmpfs rw,mode=755\n"
                          "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:13 - cgroup cgroup rw,memory\n"
                          "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw\n";

const char *pure_v2_host = "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
                           "31 25 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
                           "rw,nsdelegate,memory_recursiveprot\n";

} // namespace

TEST_CASE("cgroup mount: the unified hierarchy of a hybrid host")
{
    MountinfoFile mountinfo(hybrid_host);
    CHECK(find_cgroup2_mount(mountinfo.path()) == "/sys/fs/cgroup/unified");
}

TEST_CASE("cgroup mount: a pure cgroup v2 host")
{
    MountinfoFile mountinfo(pure_v2_host);
    CHECK(find_cgroup2_mount(mountinfo.path()) == "/sys/fs/cgroup");
}

TEST_CASE("cgroup mount: none, or no file")
{
    MountinfoFile mountinfo("35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n");
    CHECK_FALSE(find_cgroup2_mount(mountinfo.path()).has_value());
    CHECK_FALSE(find_cgroup2_mount("/nonexistent/mountinfo").has_value());
}

TEST_CASE("cgroup mount: the root of the hierarchy is preferred over a subtree")
{
    MountinfoFile mountinfo("50 31 0:38 /kubepods /mnt/pods rw - cgroup2 cgroup2 rw\n"
                            "41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    CHECK(find_cgroup2_mount(mountinfo.path()) == "/sys/fs/cgroup");
    MountinfoFile only_subtree("50 31 0:38 /kubepods /mnt/pods rw - cgroup2 cgroup2 rw\n");
    CHECK(find_cgroup2_mount(only_subtree.path()) == "/mnt/pods");
}

TEST_CASE("cgroup mount: escaped characters and several optional fields")
{
    MountinfoFile mountinfo("41 31 0:38 / /mnt/my\\040cgroups rw,relatime shared:10 master:3 - cgroup2 none rw\n");
    CHECK(find_cgroup2_mount(mountinfo.path()) == "/mnt/my cgroups");
}

TEST_CASE("cgroup mount: a truncated line is skipped")
{
    MountinfoFile mountinfo("41 31 0:38 / /broken\n"
                            "42 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    CHECK(find_cgroup2_mount(mountinfo.path()) == "/sys/fs/cgroup");
}
