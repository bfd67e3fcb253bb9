// SPDX-License-Identifier: Apache-2.0
// What the sensor knows about the container a cgroup belongs to, and the
// plugin ABI's view of it.
#pragma once

#include "core/containers/cgroup_path.hpp"

#include <vigil/plugin_abi.h>

#include <cstdint>
#include <string>

namespace vigil::containers {

// `view` points into this object's own strings, so a ContainerInfo is never
// copied or moved: it is made in place, where it stays until destroyed.
struct ContainerInfo {
    ContainerInfo(uint64_t cgroup, CgroupIdentity identity, std::string path);
    ContainerInfo(const ContainerInfo &) = delete;
    ContainerInfo &operator=(const ContainerInfo &) = delete;

    uint64_t cgroup_id = 0;
    std::string id; // 64 lowercase hex digits
    Runtime runtime;
    std::string pod_uid; // "" when not a Kubernetes pod
    QosClass qos = QosClass::none;
    std::string cgroup_path; // relative to the cgroup v2 root
    vigil_container view{};  // for plugins: pointers into the strings above
};

} // namespace vigil::containers
