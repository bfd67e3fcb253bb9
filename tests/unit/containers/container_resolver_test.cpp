// SPDX-License-Identifier: Apache-2.0
// The resolver over a cgroup directory that knows only what it is told, so
// every answer here comes from cgroup events. real_cgroupfs_test.cpp resolves
// ids the kernel is asked about.
#include "core/containers/container_resolver.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

using namespace vigil::containers;

namespace {

const char *missing_mount = "/nonexistent/vigil-cgroup-mount";
const std::string container_id = "a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478";
const std::string other_container_id = "8d74beec1be996322ad76813bafb92d40839895d6dd7ee808b17ca201eac98be";
const std::string pod_uid = "1234abcd-0000-1111-2222-333344445555";

std::string containerd_path(const std::string &id)
{
    return "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234abcd_0000_1111_2222_333344445555.slice/"
           "cri-containerd-" +
           id + ".scope";
}

// A container id made from a number, for tests that need many containers.
std::string numbered_container_id(uint64_t number)
{
    std::string digits = std::to_string(number);
    return std::string(64 - digits.size(), '0') + digits;
}

} // namespace

TEST_CASE("container resolver: a created container resolves, with its ABI view")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    resolver.on_cgroup_created(1001, containerd_path(container_id));

    const ContainerInfo *container = resolver.resolve(1001);
    REQUIRE(container != nullptr);
    CHECK(container->cgroup_id == 1001);
    CHECK(container->id == container_id);
    CHECK(container->runtime == Runtime::containerd);
    CHECK(container->pod_uid == pod_uid);
    CHECK(container->qos == QosClass::burstable);
    CHECK(container->cgroup_path == containerd_path(container_id));

    const vigil_container &view = container->view;
    CHECK(view.struct_size == sizeof(vigil_container));
    CHECK(view.cgroup_id == 1001);
    CHECK(std::strcmp(view.id, container_id.c_str()) == 0);
    CHECK(std::strcmp(view.runtime, "containerd") == 0);
    CHECK(std::strcmp(view.pod_uid, pod_uid.c_str()) == 0);
    CHECK(std::strcmp(view.cgroup_path, containerd_path(container_id).c_str()) == 0);
    // The creation also reached the directory.
    CHECK(directory.path_of(1001) == containerd_path(container_id));
}

TEST_CASE("container resolver: a container outside Kubernetes has an empty pod uid in the view")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    resolver.on_cgroup_created(7, "/docker/" + container_id);
    const ContainerInfo *container = resolver.resolve(7);
    REQUIRE(container != nullptr);
    CHECK(std::strcmp(container->view.runtime, "docker") == 0);
    CHECK(std::strcmp(container->view.pod_uid, "") == 0);
}

TEST_CASE("container resolver: answers are cached; repeated calls are hits on a stable object")
{
    CgroupDirectory directory(missing_mount, 16);
    directory.add(2002, "/docker/" + container_id); // known to the directory only, as after a scan
    ContainerResolver resolver(directory, 16);

    const ContainerInfo *first = resolver.resolve(2002);
    REQUIRE(first != nullptr);
    CHECK(resolver.statistics().misses == 1);
    CHECK(resolver.statistics().hits == 0);
    for (int call = 0; call < 5; ++call)
        CHECK(resolver.resolve(2002) == first);
    CHECK(resolver.statistics().misses == 1);
    CHECK(resolver.statistics().hits == 5);

    // Other entries coming and going do not move it.
    resolver.on_cgroup_created(2003, "/docker/" + other_container_id);
    resolver.on_cgroup_removed(2003);
    CHECK(resolver.resolve(2002) == first);
    CHECK(first->id == container_id);
}

TEST_CASE("container resolver: host cgroups and unknown ids are cached as negative answers")
{
    CgroupDirectory directory(missing_mount, 16);
    directory.add(1, "/");
    directory.add(30, "/system.slice/sshd.service");
    ContainerResolver resolver(directory, 16);

    CHECK(resolver.resolve(1) == nullptr);
    CHECK(resolver.resolve(30) == nullptr);
    CHECK(resolver.resolve(999) == nullptr); // unknown to the directory
    CHECK(resolver.statistics().misses == 3);
    CHECK(resolver.statistics().negative_entries == 3);
    CHECK(resolver.size() == 3);

    CHECK(resolver.resolve(1) == nullptr);
    CHECK(resolver.resolve(999) == nullptr);
    CHECK(resolver.statistics().misses == 3);
    CHECK(resolver.statistics().hits == 2);
}

TEST_CASE("container resolver: host cgroup creations are not stored until asked for")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    resolver.on_cgroup_created(40, "/system.slice/cron.service");
    CHECK(resolver.size() == 0);
    CHECK(directory.path_of(40) == "/system.slice/cron.service");
    CHECK(resolver.resolve(40) == nullptr);
    CHECK(resolver.size() == 1);
}

TEST_CASE("container resolver: a creation event corrects an answer cached before it")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    // An event of the container's first process raced ahead of the cgroup's creation event.
    CHECK(resolver.resolve(5005) == nullptr);
    CHECK(resolver.statistics().negative_entries == 1);
    resolver.on_cgroup_created(5005, containerd_path(container_id));
    const ContainerInfo *container = resolver.resolve(5005);
    REQUIRE(container != nullptr);
    CHECK(container->id == container_id);
    CHECK(resolver.statistics().negative_entries == 0);
    CHECK(resolver.size() == 1);
}

TEST_CASE("container resolver: a removed container stays resolvable for late events")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    resolver.on_cgroup_created(6006, containerd_path(container_id));
    const ContainerInfo *container = resolver.resolve(6006);
    REQUIRE(container != nullptr);
    resolver.on_cgroup_removed(6006);
    CHECK(resolver.resolve(6006) == container);
    CHECK(resolver.size() == 1);
    CHECK_FALSE(directory.path_of(6006).has_value()); // the directory forgets at once
}

TEST_CASE("container resolver: bounded by capacity, evicting the least recently used")
{
    CgroupDirectory directory(missing_mount, 64);
    ContainerResolver resolver(directory, 3);
    for (uint64_t cgroup = 1; cgroup <= 3; ++cgroup)
        resolver.on_cgroup_created(cgroup, "/docker/" + numbered_container_id(cgroup));
    CHECK(resolver.size() == 3);
    CHECK(resolver.capacity() == 3);

    const ContainerInfo *first = resolver.resolve(1); // 2 is now the least recently used
    REQUIRE(first != nullptr);
    resolver.on_cgroup_created(4, "/docker/" + numbered_container_id(4));
    CHECK(resolver.size() == 3);
    CHECK(resolver.statistics().evictions == 1);

    auto misses_before = resolver.statistics().misses;
    CHECK(resolver.resolve(1) == first);
    CHECK(resolver.resolve(3) != nullptr);
    CHECK(resolver.resolve(4) != nullptr);
    CHECK(resolver.statistics().misses == misses_before);
    // 2 was evicted; the directory still knows its path, so it comes back as a miss.
    const ContainerInfo *second = resolver.resolve(2);
    REQUIRE(second != nullptr);
    CHECK(second->id == numbered_container_id(2));
    CHECK(resolver.statistics().misses == misses_before + 1);
    CHECK(resolver.size() == 3);

    for (uint64_t cgroup = 100; cgroup < 200; ++cgroup)
        resolver.resolve(cgroup);
    CHECK(resolver.size() == 3);
    CHECK(resolver.statistics().negative_entries == 3);
    CHECK(resolver.statistics().evictions == 2 + 100);
}

TEST_CASE("container resolver: evicting negative answers keeps their count right")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 2);
    resolver.resolve(1);
    resolver.resolve(2);
    CHECK(resolver.statistics().negative_entries == 2);
    resolver.on_cgroup_created(3, "/docker/" + container_id);
    CHECK(resolver.statistics().negative_entries == 1);
    resolver.on_cgroup_created(4, "/docker/" + other_container_id);
    CHECK(resolver.statistics().negative_entries == 0);
    CHECK(resolver.statistics().evictions == 2);
}

TEST_CASE("container resolver: a sub-cgroup of a container resolves to that container")
{
    CgroupDirectory directory(missing_mount, 16);
    ContainerResolver resolver(directory, 16);
    resolver.on_cgroup_created(80, "/machine.slice/libpod-" + container_id + ".scope");
    resolver.on_cgroup_created(81, "/machine.slice/libpod-" + container_id + ".scope/container");
    const ContainerInfo *scope = resolver.resolve(80);
    const ContainerInfo *payload = resolver.resolve(81);
    REQUIRE(scope != nullptr);
    REQUIRE(payload != nullptr);
    CHECK(scope->id == payload->id);
    CHECK(payload->runtime == Runtime::podman);
    CHECK(payload->cgroup_id == 81);
}

TEST_CASE("container resolver: an answer outlives capacity - 1 lookups of other ids")
{
    constexpr std::size_t capacity = 4;
    CgroupDirectory directory(missing_mount, 64);
    ContainerResolver resolver(directory, capacity);
    for (uint64_t cgroup = 1; cgroup <= capacity; ++cgroup)
        resolver.on_cgroup_created(cgroup, "/docker/" + numbered_container_id(cgroup));

    const ContainerInfo *held = resolver.resolve(1);
    REQUIRE(held != nullptr);
    // Other ids, old and new, short of capacity of them: what a plugin hook
    // asking about other containers during one event can do.
    resolver.resolve(2);
    resolver.resolve(100);
    resolver.resolve(101);
    CHECK(resolver.statistics().evictions == 2);
    CHECK(held->id == numbered_container_id(1));
    CHECK(resolver.resolve(1) == held);
}
