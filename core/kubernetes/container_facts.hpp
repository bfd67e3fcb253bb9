// SPDX-License-Identifier: Apache-2.0
// From a pod's metadata to what plugins see of one of its containers (the
// ABI 1.7 fields of vigil_container). Pure: no cache, no threads.
#pragma once

#include <memory>
#include <string_view>

#include "core/containers/pod_facts.hpp"
#include "core/kubernetes/pod_metadata.hpp"

namespace vigil::kubernetes {

// The facts of container @container_id in @pod (source VIGIL_METADATA_API).
// They point into @pod's strings and hold @pod to keep them. A bare pod (no
// controller among its ownerReferences) is its own workload: kind "Pod",
// named after the pod. A container the pod's statuses do not list yet (its
// id is given only once it runs) has the pod's fields and an empty name and
// image.
containers::PodFacts container_facts(std::shared_ptr<const PodMetadata> pod, std::string_view container_id);

} // namespace vigil::kubernetes
