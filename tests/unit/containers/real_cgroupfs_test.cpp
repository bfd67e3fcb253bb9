// SPDX-License-Identifier: Apache-2.0
// The cgroup directory and the resolver against the real cgroup v2 hierarchy:
// cgroups made for the test in a subtree of its own, found by inode number as
// the kernel's cgroup ids name them. Needs root; skipped otherwise.
#include "core/containers/cgroup_directory.hpp"
#include "core/containers/container_resolver.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace vigil::containers;

namespace {

// The v2 mount when this process may make cgroups in it; nullopt (and a note
// in the test output) when the test cannot run here.
std::optional<std::string> usable_cgroup2_mount()
{
    if (geteuid() != 0) {
        MESSAGE("skipped: needs root to make cgroups");
        return std::nullopt;
    }
    auto mount = find_cgroup2_mount();
    if (!mount)
        MESSAGE("skipped: no cgroup v2 hierarchy is mounted");
    return mount;
}

// A subtree of test cgroups, <mount>/vigil-test-<pid>-<n>, removed with
// everything made in it when the test ends, however it ends.
class TestCgroupTree {
public:
    explicit TestCgroupTree(std::string mount)
        : mount_(std::move(mount)),
          root_("/vigil-test-" + std::to_string(getpid()) + "-" + std::to_string(next_number_++))
    {
        make_directory(root_);
    }
    TestCgroupTree(const TestCgroupTree &) = delete;
    TestCgroupTree &operator=(const TestCgroupTree &) = delete;
    ~TestCgroupTree()
    {
        for (auto made = made_.rbegin(); made != made_.rend(); ++made)
            rmdir(absolute(*made).c_str());
    }

    // Makes a cgroup @name directly below the subtree's root; returns its
    // path relative to the mount, as cgroup paths are written.
    std::string make(const std::string &name)
    {
        std::string path = root_ + "/" + name;
        make_directory(path);
        return path;
    }

    // Removes a cgroup made by make() before the end of the test.
    void remove(const std::string &path)
    {
        REQUIRE(rmdir(absolute(path).c_str()) == 0);
        std::erase(made_, path);
    }

    // The cgroup's id: its directory's inode number.
    uint64_t id_of(const std::string &path) const
    {
        struct stat status {};
        REQUIRE(stat(absolute(path).c_str(), &status) == 0);
        return status.st_ino;
    }

    std::string absolute(const std::string &path) const { return mount_ + path; }
    const std::string &root() const { return root_; }

private:
    void make_directory(const std::string &path)
    {
        INFO("mkdir ", absolute(path), ": ", std::strerror(errno));
        REQUIRE(mkdir(absolute(path).c_str(), 0755) == 0);
        made_.push_back(path);
    }

    static inline int next_number_ = 0;
    std::string mount_;
    std::string root_;
    std::vector<std::string> made_; // in the order made, so removed in reverse
};

const std::string container_id = "a2bbdb2de53523b8099b37013f251546f3d65dbe7a0774fa41af0a4176992fd4";

} // namespace

TEST_CASE("cgroup directory (real cgroupfs): scan finds a cgroup under its inode number")
{
    auto mount = usable_cgroup2_mount();
    if (!mount)
        return;
    TestCgroupTree tree(*mount);
    std::string path = tree.make("child");
    uint64_t id = tree.id_of(path);

    CgroupDirectory directory(*mount, 1 << 20);
    CHECK(directory.scan() >= 3); // the root, the test subtree and its child at least
    CHECK(directory.path_of(id) == path);
    CHECK(directory.path_of(tree.id_of("")) == "/");
}

TEST_CASE("cgroup directory (real cgroupfs): an id nobody reported is asked of the kernel")
{
    auto mount = usable_cgroup2_mount();
    if (!mount)
        return;
    TestCgroupTree tree(*mount);
    std::string path = tree.make("asked-by-id");
    uint64_t id = tree.id_of(path);

    CgroupDirectory directory(*mount, 16);
    CHECK(directory.size() == 0);
    CHECK(directory.path_of(id) == path); // open_by_handle_at on the mount
    INFO("lookup failure: ", std::strerror(directory.lookup_failure().value_or(0)));
    CHECK_FALSE(directory.lookup_failure().has_value());
    CHECK(directory.size() == 1); // and remembered

    // Once the cgroup is gone, the kernel no longer knows the id: no path, and
    // that does not stop lookups of other ids.
    tree.remove(path);
    CgroupDirectory fresh(*mount, 16);
    CHECK_FALSE(fresh.path_of(id).has_value());
    CHECK_FALSE(fresh.lookup_failure().has_value());
    CHECK(fresh.path_of(tree.id_of(tree.root())) == tree.root());
}

TEST_CASE("cgroup directory (real cgroupfs): scan stops at the capacity")
{
    auto mount = usable_cgroup2_mount();
    if (!mount)
        return;
    TestCgroupTree tree(*mount);
    for (int child = 0; child < 5; ++child)
        tree.make("child-" + std::to_string(child));

    // Mounted or not, the test subtree is a hierarchy of 6 cgroups on its own.
    CgroupDirectory directory(tree.absolute(tree.root()), 3);
    CHECK(directory.scan() == 3);
    CHECK(directory.size() == 3);
    CHECK(directory.path_of(tree.id_of(tree.root())) == "/");

    CgroupDirectory roomy(tree.absolute(tree.root()), 100);
    CHECK(roomy.scan() == 6);
    CHECK(roomy.path_of(tree.id_of(tree.root() + "/child-4")) == "/child-4");
}

TEST_CASE("container resolver (real cgroupfs): a container cgroup found by id alone")
{
    auto mount = usable_cgroup2_mount();
    if (!mount)
        return;
    TestCgroupTree tree(*mount);
    std::string container_path = tree.make("docker-" + container_id + ".scope");
    std::string host_path = tree.make("host.service");

    CgroupDirectory directory(*mount, 16);
    ContainerResolver resolver(directory, 16);
    const ContainerInfo *container = resolver.resolve(tree.id_of(container_path));
    REQUIRE(container != nullptr);
    CHECK(container->id == container_id);
    CHECK(container->runtime == Runtime::docker);
    CHECK(container->cgroup_path == container_path);
    CHECK(resolver.resolve(tree.id_of(host_path)) == nullptr);
    CHECK(resolver.statistics().misses == 2);
}
