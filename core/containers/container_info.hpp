// SPDX-License-Identifier: Apache-2.0
// What the sensor knows about the container a cgroup belongs to, and the
// plugin ABI's view of it.
#pragma once

#include "core/containers/cgroup_path.hpp"
#include "core/containers/pod_facts.hpp"

#include <vigil/plugin_abi.h>

#include <cstdint>
#include <string>

namespace vigil::containers {

// `view` points into this object's own strings, so a ContainerInfo is never
// copied or moved: it is made in place, where it stays until destroyed.
struct ContainerInfo {
    ContainerInfo(uint64_t cgroup, CgroupIdentity identity, std::string path, ContainerStart start = {});
    ContainerInfo(const ContainerInfo &) = delete;
    ContainerInfo &operator=(const ContainerInfo &) = delete;

    // Replaces the pod's fields and points the view at them. Event thread,
    // never while a hook runs: a hook may hold pointers into the old ones.
    void set_pod_facts(PodFacts facts);
    const PodFacts &pod_facts() const { return pod; }

    uint64_t cgroup_id = 0;
    std::string id; // 64 lowercase hex digits
    Runtime runtime;
    std::string pod_uid; // "" when not a Kubernetes pod
    QosClass qos = QosClass::none;
    std::string cgroup_path; // relative to the cgroup v2 root
    ContainerStart start;
    PodFacts pod;           // only through set_pod_facts(), which keeps the view in step
    vigil_container view{}; // for plugins: pointers into the strings above
};

} // namespace vigil::containers
