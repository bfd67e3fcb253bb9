// SPDX-License-Identifier: Apache-2.0
// What the Kubernetes API says of one container (ABI 1.7 fields of
// vigil_container), as the C strings the view points to. This layer knows
// nothing of the API: kubernetes/container_pods fills it from the pod cache.
#pragma once

#include <vigil/plugin_abi.h>

#include <cstdint>
#include <memory>

namespace vigil::containers {

struct PodFacts {
    // Owns the strings below (the pod's metadata, shared with the pod cache),
    // so a view that points into them stays valid for as long as the facts
    // are held; null when the strings are literals.
    std::shared_ptr<const void> owner;
    const char *name = "";
    const char *image = "";
    const char *image_id = "";
    const char *pod_namespace = "";
    const char *pod_name = "";
    const char *workload_kind = "";
    const char *workload_name = "";
    const char *template_hash = "";
    uint32_t source = VIGIL_METADATA_CGROUP; // enum vigil_metadata_source
};

// When the container began, as far as the sensor can tell.
struct ContainerStart {
    uint64_t started_ns = 0;       // CLOCK_BOOTTIME; 0 if unknown
    bool existed_at_start = false; // it was there before the sensor started
};

} // namespace vigil::containers
