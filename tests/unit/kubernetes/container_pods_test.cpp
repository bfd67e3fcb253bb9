// SPDX-License-Identifier: Apache-2.0
// The pod fields of container views (ABI 1.7): filled from the pod cache when
// the resolver makes a container, and brought up to date by refresh() when
// the pod's metadata arrives or changes.
#include <doctest/doctest.h>

#include <string>

#include "core/containers/container_resolver.hpp"
#include "core/kubernetes/container_pods.hpp"
#include "core/kubernetes/pod_parser.hpp"
#include "kubernetes/pod_json.hpp"

using namespace vigil::kubernetes;
using vigil::containers::CgroupDirectory;
using vigil::containers::ContainerResolver;
using vigil::kubernetes::testing::deployment_pod;
using vigil::kubernetes::testing::hex_id;

namespace {

const char *missing_mount = "/nonexistent/vigil-cgroup-mount";

std::string containerd_path(const std::string &id)
{
    return "/kubepods.slice/kubepods-besteffort.slice/"
           "kubepods-besteffort-pod1234abcd_0000_1111_2222_333344445555.slice/"
           "cri-containerd-" +
           id + ".scope";
}

// deployment_pod() with images on its running container, parsed as the watcher would, its workload resolved.
PodMetadata web_pod(const std::string &image = "registry.test/web:1.2")
{
    auto object = deployment_pod();
    auto &app = object["status"]["containerStatuses"][0];
    app["image"] = image;
    app["imageID"] = "registry.test/web@sha256:" + hex_id('e');
    auto pod = parse_pod(object, {});
    REQUIRE(pod.has_value());
    pod->workload_kind = "Deployment";
    pod->workload_name = "web";
    return std::move(*pod);
}

std::string text(const char *value)
{
    REQUIRE(value != nullptr);
    return value;
}

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("container pods: the parser keeps each container's name, image and image digest")
    {
        auto pod = web_pod();
        REQUIRE(pod.containers.size() == 3);
        CHECK(pod.containers[0].name == "init");
        CHECK(pod.containers[1].id == hex_id('b'));
        CHECK(pod.containers[1].name == "app");
        CHECK(pod.containers[1].image == "registry.test/web:1.2");
        CHECK(pod.containers[1].image_id == "registry.test/web@sha256:" + hex_id('e'));
        CHECK(pod.containers[2].name == "debug"); // ephemeral
        CHECK(pod.containers[2].image.empty());
    }

    TEST_CASE("container pods: a container's view is pending, then carries its pod once the pod arrives")
    {
        CgroupDirectory directory(missing_mount, 16);
        ContainerResolver resolver(directory, 16);
        PodCache cache(16, 1'000'000'000);
        ContainerPods pods(resolver, cache);

        resolver.on_cgroup_created(1001, containerd_path(hex_id('b')), 5'000);
        const auto *container = resolver.resolve(1001);
        REQUIRE(container != nullptr);
        const auto &view = container->view;
        CHECK(view.struct_size == VIGIL_CONTAINER_SIZE_1_7);
        CHECK(view.metadata_source == VIGIL_METADATA_PENDING);
        CHECK(text(view.pod_name).empty());
        CHECK(text(view.image).empty());
        CHECK(view.started_ns == 5'000);
        CHECK(view.existed_at_start == 0);

        cache.upsert(web_pod(), 10);
        pods.refresh();
        CHECK(view.metadata_source == VIGIL_METADATA_API);
        CHECK(text(view.name) == "app");
        CHECK(text(view.image) == "registry.test/web:1.2");
        CHECK(text(view.image_id) == "registry.test/web@sha256:" + hex_id('e'));
        CHECK(text(view.pod_namespace) == "shop");
        CHECK(text(view.pod_name) == "web-7d4b9c-abcde");
        CHECK(text(view.workload_kind) == "Deployment");
        CHECK(text(view.workload_name) == "web");
        CHECK(text(view.template_hash) == "7d4b9c");
        CHECK(text(view.id) == hex_id('b')); // the cgroup's fields stay
        CHECK(text(view.runtime) == "containerd");

        // A change of the pod reaches the view at the next refresh.
        cache.upsert(web_pod("registry.test/web:1.3"), 20);
        pods.refresh();
        CHECK(text(view.image) == "registry.test/web:1.3");
    }

    TEST_CASE("container pods: a container made after its pod is known has the pod's fields at once")
    {
        CgroupDirectory directory(missing_mount, 16);
        ContainerResolver resolver(directory, 16);
        PodCache cache(16, 1'000'000'000);
        cache.upsert(web_pod(), 10);
        ContainerPods pods(resolver, cache);

        resolver.on_cgroup_created(1002, containerd_path(hex_id('a')), 7'000);
        const auto *container = resolver.resolve(1002);
        REQUIRE(container != nullptr);
        CHECK(container->view.metadata_source == VIGIL_METADATA_API);
        CHECK(text(container->view.name) == "init");
    }

    TEST_CASE("container pods: a bare pod is its own workload")
    {
        CgroupDirectory directory(missing_mount, 16);
        ContainerResolver resolver(directory, 16);
        PodCache cache(16, 1'000'000'000);
        auto object = deployment_pod();
        object["metadata"].erase("ownerReferences");
        auto bare = parse_pod(object, {});
        REQUIRE(bare.has_value());
        cache.upsert(std::move(*bare), 10);
        ContainerPods pods(resolver, cache);

        resolver.on_cgroup_created(1003, containerd_path(hex_id('b')), 1);
        const auto &view = resolver.resolve(1003)->view;
        CHECK(text(view.workload_kind) == "Pod");
        CHECK(text(view.workload_name) == "web-7d4b9c-abcde");
        CHECK(text(view.template_hash).empty());
    }

    TEST_CASE("container pods: the facts last after the cache forgot a deleted pod; without an API, \"cgroup\"")
    {
        CgroupDirectory directory(missing_mount, 16);
        ContainerResolver resolver(directory, 16);
        {
            // No ContainerPods: no API server configured.
            resolver.on_cgroup_created(1004, containerd_path(hex_id('b')), 1);
            const auto &view = resolver.resolve(1004)->view;
            CHECK(view.metadata_source == VIGIL_METADATA_CGROUP);
            CHECK(text(view.pod_uid) == "1234abcd-0000-1111-2222-333344445555");
            CHECK(text(view.pod_name).empty());
        }
        PodCache cache(16, 10);
        ContainerPods pods(resolver, cache); // takes the containers already made
        cache.upsert(web_pod(), 1);
        pods.refresh();
        const auto &view = resolver.resolve(1004)->view;
        CHECK(text(view.pod_name) == "web-7d4b9c-abcde");
        cache.remove("uid-1", 2);
        PodMetadata other;
        other.uid = "other";
        cache.upsert(std::move(other), 100); // expires uid-1
        REQUIRE(cache.find(hex_id('b'), "") == nullptr);
        pods.refresh();
        CHECK(view.metadata_source == VIGIL_METADATA_API);
        CHECK(text(view.pod_name) == "web-7d4b9c-abcde");
    }
}
