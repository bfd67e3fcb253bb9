// SPDX-License-Identifier: Apache-2.0
// The cgroup directory as a table, without a real hierarchy: it knows only what
// add() tells it. real_cgroupfs_test.cpp covers scan() and lookups by id.
#include "core/containers/cgroup_directory.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <string>

using vigil::containers::CgroupDirectory;

namespace {
const char *missing_mount = "/nonexistent/vigil-cgroup-mount";
}

TEST_CASE("cgroup directory: add, path_of and remove")
{
    CgroupDirectory directory(missing_mount, 8);
    CHECK(directory.size() == 0);
    directory.add(4242, "/kubepods/burstable");
    CHECK(directory.path_of(4242) == "/kubepods/burstable");
    CHECK(directory.size() == 1);
    directory.add(4242, "/kubepods/besteffort"); // a later report wins
    CHECK(directory.path_of(4242) == "/kubepods/besteffort");
    CHECK(directory.size() == 1);
    directory.remove(4242);
    CHECK_FALSE(directory.path_of(4242).has_value());
    CHECK(directory.size() == 0);
    directory.remove(4242); // removing twice is harmless
}

TEST_CASE("cgroup directory: without a mount, unknown ids are unknown and the reason is kept")
{
    CgroupDirectory directory(missing_mount, 8);
    CHECK_FALSE(directory.path_of(1).has_value());
    REQUIRE(directory.lookup_failure().has_value());
    CHECK(*directory.lookup_failure() == ENOENT);
    CHECK(directory.scan() == 0);
}

TEST_CASE("cgroup directory: bounded, evicting the least recently used path")
{
    CgroupDirectory directory(missing_mount, 3);
    directory.add(1, "/a");
    directory.add(2, "/b");
    directory.add(3, "/c");
    CHECK(directory.path_of(1) == "/a"); // 2 is now the least recently used
    directory.add(4, "/d");
    CHECK(directory.size() == 3);
    CHECK(directory.capacity() == 3);
    CHECK_FALSE(directory.path_of(2).has_value());
    CHECK(directory.path_of(1) == "/a");
    CHECK(directory.path_of(3) == "/c");
    CHECK(directory.path_of(4) == "/d");
    for (uint64_t id = 100; id < 200; ++id)
        directory.add(id, "/many/" + std::to_string(id));
    CHECK(directory.size() == 3);
}

TEST_CASE("cgroup directory: a trailing slash on the mount point is dropped")
{
    CgroupDirectory directory("/nonexistent/vigil-cgroup-mount/", 1);
    CHECK(directory.mount_point() == "/nonexistent/vigil-cgroup-mount");
}

TEST_CASE("cgroup directory: an empty mount point means no hierarchy, not the root directory")
{
    CgroupDirectory directory("", 4);
    CHECK_FALSE(directory.path_of(1).has_value());
    REQUIRE(directory.lookup_failure().has_value());
    CHECK(*directory.lookup_failure() == ENOENT);
    CHECK(directory.scan() == 0);
    directory.add(5, "/docker");
    CHECK(directory.path_of(5) == "/docker");
}
