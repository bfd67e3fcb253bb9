// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/container_pods.hpp"

#include "core/kubernetes/container_facts.hpp"

namespace vigil::kubernetes {

ContainerPods::ContainerPods(containers::ContainerResolver &containers, const PodCache &cache)
    : containers_(containers), cache_(cache)
{
    containers_.on_new_container([this](containers::ContainerInfo &container) { fill(container); });
    // Containers made before this existed (none in the sensor, which builds it first) are not missed either.
    refreshed_version_ = cache_.version();
    containers_.for_each_container([this](containers::ContainerInfo &container) { fill(container); });
}

ContainerPods::~ContainerPods()
{
    containers_.on_new_container(nullptr);
}

void ContainerPods::fill(containers::ContainerInfo &container) const
{
    auto pod = cache_.find(container.id, container.pod_uid);
    if (pod == nullptr) {
        // A pod the cache forgot (deleted, past its grace period) keeps the
        // facts it had: its container's last events may still be on their way.
        if (container.pod_facts().source == VIGIL_METADATA_CGROUP) {
            containers::PodFacts pending;
            pending.source = VIGIL_METADATA_PENDING;
            container.set_pod_facts(std::move(pending));
        }
        return;
    }
    // The cache stores a new PodMetadata for every change of the pod: the same one means nothing changed.
    if (container.pod_facts().owner == pod) {
        return;
    }
    container.set_pod_facts(container_facts(std::move(pod), container.id));
}

void ContainerPods::refresh()
{
    auto version = cache_.version();
    if (version == refreshed_version_) {
        return;
    }
    refreshed_version_ = version;
    containers_.for_each_container([this](containers::ContainerInfo &container) { fill(container); });
}

} // namespace vigil::kubernetes
