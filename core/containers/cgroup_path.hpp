// SPDX-License-Identifier: Apache-2.0
// What a cgroup path says about the container in it: the runtime's container
// id, and the Kubernetes pod and QoS class when the kubelet made the levels
// above it. Pure string work, no I/O, so it can be tested on any machine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::containers {

enum class Runtime { containerd, crio, docker, podman };

// "containerd", "cri-o", "docker", "podman": the names the plugin ABI uses.
// The view points at a string literal, so .data() is NUL-terminated.
std::string_view runtime_name(Runtime runtime);

// The pod's Kubernetes QoS class; none when the path has no pod level.
enum class QosClass { none, guaranteed, burstable, besteffort };

struct CgroupIdentity {
    std::string container_id; // 64 lowercase hex digits
    Runtime runtime;
    std::string pod_uid; // lowercase, with dashes; "" when not under a valid kubepods pod level
    QosClass qos = QosClass::none;
};

// The container a cgroup belongs to, or nullopt for a host cgroup (or garbage).
// A cgroup below a container's own (e.g. /docker/<id>/init) belongs to that
// container; when containers nest, the innermost (last) container level wins.
std::optional<CgroupIdentity> parse_cgroup_path(std::string_view path);

} // namespace vigil::containers
