// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_path.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace vigil::containers;

namespace {

// Ids as runtimes write them: sha256 digests.
const std::string container_id = "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7";
const std::string other_container_id = "0263829989b6fd954f72baaf2fc64bc2e2f01d692d4de72986ea808f6e99813f";
const std::string pod_uid = "3a8d5f1e-9b2c-4d7e-8f60-1a2b3c4d5e6f";
// The same uid as the systemd cgroup driver writes it.
const std::string pod_uid_underscores = "3a8d5f1e_9b2c_4d7e_8f60_1a2b3c4d5e6f";

CgroupIdentity parse_container(const std::string &path)
{
    INFO("path: ", path);
    auto identity = parse_cgroup_path(path);
    REQUIRE(identity.has_value());
    return *identity;
}

void check_not_a_container(const std::string &path)
{
    INFO("path: ", path);
    CHECK_FALSE(parse_cgroup_path(path).has_value());
}

} // namespace

TEST_CASE("cgroup path: runtime names are the plugin ABI's")
{
    CHECK(runtime_name(Runtime::containerd) == "containerd");
    CHECK(runtime_name(Runtime::crio) == "cri-o");
    CHECK(runtime_name(Runtime::docker) == "docker");
    CHECK(runtime_name(Runtime::podman) == "podman");
}

TEST_CASE("cgroup path: containerd with the cgroupfs driver")
{
    SUBCASE("burstable pod")
    {
        auto identity = parse_container("/kubepods/burstable/pod" + pod_uid + "/" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::containerd);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::burstable);
    }
    SUBCASE("best-effort pod")
    {
        auto identity = parse_container("/kubepods/besteffort/pod" + pod_uid + "/" + container_id);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::besteffort);
    }
    SUBCASE("guaranteed pod: no QoS level")
    {
        auto identity = parse_container("/kubepods/pod" + pod_uid + "/" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::guaranteed);
    }
    SUBCASE("a bare id under kubepods, without a pod level")
    {
        auto identity = parse_container("/kubepods/" + container_id);
        CHECK(identity.runtime == Runtime::containerd);
        CHECK(identity.pod_uid.empty());
        CHECK(identity.qos == QosClass::none);
    }
    SUBCASE("under a custom kubelet cgroup root")
    {
        auto identity = parse_container("/kubelet/kubepods/burstable/pod" + pod_uid + "/" + container_id);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::burstable);
    }
    SUBCASE("a static pod, whose uid is a 32-digit manifest hash")
    {
        auto identity = parse_container("/kubepods/burstable/pod6d6f0f2a6d7c0b9fc8b5f4e19f7b3c0a/" + container_id);
        CHECK(identity.pod_uid == "6d6f0f2a6d7c0b9fc8b5f4e19f7b3c0a");
    }
}

TEST_CASE("cgroup path: containerd with the systemd driver")
{
    SUBCASE("burstable pod, uid written with underscores")
    {
        auto identity = parse_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" +
                                        pod_uid_underscores + ".slice/cri-containerd-" + container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::containerd);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::burstable);
    }
    SUBCASE("best-effort pod")
    {
        auto identity = parse_container("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" +
                                        pod_uid_underscores + ".slice/cri-containerd-" + container_id + ".scope");
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::besteffort);
    }
    SUBCASE("guaranteed pod")
    {
        auto identity = parse_container("/kubepods.slice/kubepods-pod" + pod_uid_underscores +
                                        ".slice/cri-containerd-" + container_id + ".scope");
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::guaranteed);
    }
    SUBCASE("uid in upper case is normalised")
    {
        auto identity = parse_container("/kubepods.slice/kubepods-pod3A8D5F1E_9B2C_4D7E_8F60_1A2B3C4D5E6F.slice/"
                                        "cri-containerd-" +
                                        container_id + ".scope");
        CHECK(identity.pod_uid == pod_uid);
    }
    SUBCASE("kubelet cgroup root /kubelet, inside a node container")
    {
        auto identity = parse_container(
            "/docker/" + other_container_id +
            "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" +
            pod_uid_underscores + ".slice/cri-containerd-" + container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::containerd);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::burstable);
    }
}

TEST_CASE("cgroup path: containerd without systemd, slice:prefix:id names")
{
    SUBCASE("at the top")
    {
        auto identity =
            parse_container("/kubepods-burstable-pod" + pod_uid_underscores + ".slice:cri-containerd:" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::containerd);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::burstable);
    }
    SUBCASE("below the runtime's own service (cgroup v2 prefix)")
    {
        auto identity = parse_container("/system.slice/containerd.service/kubepods-besteffort-pod" +
                                        pod_uid_underscores + ".slice:cri-containerd:" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::besteffort);
    }
    SUBCASE("guaranteed pod")
    {
        auto identity =
            parse_container("/kubepods-pod" + pod_uid_underscores + ".slice:cri-containerd:" + container_id);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::guaranteed);
    }
    SUBCASE("no pod in the slice part")
    {
        auto identity = parse_container("/system.slice:cri-containerd:" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.pod_uid.empty());
    }
}

TEST_CASE("cgroup path: CRI-O")
{
    SUBCASE("crio-<id>")
    {
        auto identity = parse_container("/crio-" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::crio);
        CHECK(identity.pod_uid.empty());
    }
    SUBCASE("crio-<id>.scope in a pod, systemd driver")
    {
        auto identity = parse_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" +
                                        pod_uid_underscores + ".slice/crio-" + container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::crio);
        CHECK(identity.pod_uid == pod_uid);
    }
    SUBCASE("crio-<id> in a pod, cgroupfs driver")
    {
        auto identity = parse_container("/kubepods/besteffort/pod" + pod_uid + "/crio-" + container_id);
        CHECK(identity.runtime == Runtime::crio);
        CHECK(identity.pod_uid == pod_uid);
        CHECK(identity.qos == QosClass::besteffort);
    }
    SUBCASE("the conmon monitor is not a container")
    {
        check_not_a_container("/crio-conmon-" + container_id + ".scope");
        check_not_a_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + pod_uid_underscores +
                              ".slice/crio-conmon-" + container_id + ".scope");
        check_not_a_container("/kubepods/burstable/pod" + pod_uid + "/crio-conmon-" + container_id);
    }
}

TEST_CASE("cgroup path: Docker")
{
    SUBCASE("cgroupfs driver")
    {
        auto identity = parse_container("/docker/" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::docker);
        CHECK(identity.pod_uid.empty());
        CHECK(identity.qos == QosClass::none);
    }
    SUBCASE("systemd driver")
    {
        auto identity = parse_container("/system.slice/docker-" + container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::docker);
    }
    SUBCASE("a sub-cgroup below the container belongs to it")
    {
        auto identity = parse_container("/docker/" + container_id + "/init");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::docker);
    }
    SUBCASE("nested containers: the innermost wins")
    {
        auto identity = parse_container("/docker/" + other_container_id + "/docker/" + container_id);
        CHECK(identity.container_id == container_id);
        auto systemd_inside_cgroupfs =
            parse_container("/docker/" + other_container_id + "/system.slice/docker-" + container_id + ".scope");
        CHECK(systemd_inside_cgroupfs.container_id == container_id);
    }
}

TEST_CASE("cgroup path: Podman")
{
    SUBCASE("libpod-<id>.scope")
    {
        auto identity = parse_container("/machine.slice/libpod-" + container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::podman);
        CHECK(identity.pod_uid.empty());
    }
    SUBCASE("the container sub-cgroup that cgroup v2 needs")
    {
        auto identity = parse_container("/machine.slice/libpod-" + container_id + ".scope/container");
        CHECK(identity.container_id == container_id);
        CHECK(identity.runtime == Runtime::podman);
    }
    SUBCASE("rootless, below the user's manager")
    {
        auto identity = parse_container("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" +
                                        container_id + ".scope/container");
        CHECK(identity.container_id == container_id);
    }
    SUBCASE("a Podman pod is not a Kubernetes pod")
    {
        auto identity = parse_container("/machine.slice/machine-libpod_pod_" + other_container_id + ".slice/libpod-" +
                                        container_id + ".scope");
        CHECK(identity.container_id == container_id);
        CHECK(identity.pod_uid.empty());
    }
}

TEST_CASE("cgroup path: separators and case")
{
    SUBCASE("trailing and doubled slashes")
    {
        CHECK(parse_container("/docker/" + container_id + "/").container_id == container_id);
        CHECK(parse_container("/docker/" + container_id + "///").container_id == container_id);
        auto identity = parse_container("//kubepods//burstable//pod" + pod_uid + "//" + container_id + "/");
        CHECK(identity.pod_uid == pod_uid);
    }
    SUBCASE("no leading slash")
    {
        CHECK(parse_container("docker/" + container_id).runtime == Runtime::docker);
    }
    SUBCASE("an upper-case id is normalised")
    {
        auto identity = parse_container("/docker/87428FC522803D31065E7BCE3CF03FE475096631E5E07BBD7A0FDE60C4CF25C7");
        CHECK(identity.container_id == container_id);
    }
}

TEST_CASE("cgroup path: host cgroups and garbage are not containers")
{
    std::string id_63 = container_id.substr(0, 63);
    std::string id_65 = container_id + "a";
    std::string not_hex = container_id.substr(0, 63) + "g";

    check_not_a_container("");
    check_not_a_container("/");
    check_not_a_container("///");
    check_not_a_container("/init.scope");
    check_not_a_container("/system.slice/containerd.service");
    check_not_a_container("/user.slice/user-1000.slice/session-3.scope");
    check_not_a_container("/kubepods");
    check_not_a_container("/kubepods/burstable");
    check_not_a_container("/kubepods/burstable/pod" + pod_uid);
    check_not_a_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + pod_uid_underscores +
                          ".slice");
    // A bare id means a container only where a runtime puts bare ids.
    check_not_a_container("/system.slice/" + container_id);
    check_not_a_container("/" + container_id);
    for (const auto &bad_id : {id_63, id_65, not_hex, std::string{}}) {
        check_not_a_container("/docker/" + bad_id);
        check_not_a_container("/docker-" + bad_id + ".scope");
        check_not_a_container("/crio-" + bad_id);
        check_not_a_container("/libpod-" + bad_id + ".scope");
        check_not_a_container("/kubepods/burstable/pod" + pod_uid + "/" + bad_id);
        check_not_a_container("/kubepods.slice/cri-containerd-" + bad_id + ".scope");
        check_not_a_container("/kubepods-burstable-pod" + pod_uid_underscores + ".slice:cri-containerd:" + bad_id);
    }
    check_not_a_container("/system.slice/unknown-" + container_id + ".scope");
    check_not_a_container("/docker-" + container_id + ".scopes");
    check_not_a_container(":cri-containerd:");
    check_not_a_container("/x:unknown:" + container_id);
    check_not_a_container("cri-containerd-.scope");
}

TEST_CASE("cgroup path: a bad pod level leaves a container without a pod")
{
    for (const std::string &bad_pod_level : {
             std::string("pod"),
             std::string("pod1234"),
             "pod" + pod_uid.substr(0, 35),
             "pod" + pod_uid + "0",
             std::string("pod3a8d5f1e+9b2c-4d7e-8f60-1a2b3c4d5e6f"),
             std::string("podza8d5f1e-9b2c-4d7e-8f60-1a2b3c4d5e6f"),
             std::string("pod3a8d5f1e9b2c-4d7e-8f60-1a2b3c4d5e6f-"),
         }) {
        auto identity = parse_container("/kubepods/burstable/" + bad_pod_level + "/" + container_id);
        CHECK(identity.container_id == container_id);
        CHECK(identity.pod_uid.empty());
        CHECK(identity.qos == QosClass::none);
    }
    auto systemd = parse_container("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod.slice/"
                                   "cri-containerd-" +
                                   container_id + ".scope");
    CHECK(systemd.container_id == container_id);
    CHECK(systemd.pod_uid.empty());
    // A "pod" level that is not under kubepods is not a Kubernetes pod.
    auto outside = parse_container("/somewhere/pod" + pod_uid + "/docker-" + container_id + ".scope");
    CHECK(outside.pod_uid.empty());
}
