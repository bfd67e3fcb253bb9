// SPDX-License-Identifier: Apache-2.0
// Keeps the pod fields of every container view (vigil_container, ABI 1.7) in
// step with the pod cache, joining container id -> pod the way the alert
// stage does (PodCache::find, see alerts/pod_enricher.hpp).
//
// Event thread only. The pod watcher's thread writes the cache; nothing here
// waits on it beyond the cache's own lookup. A container's facts change only
// at two moments no hook can be holding pointers into them: when the resolver
// makes the container (it is new), and in refresh(), which the sensor's loop
// calls between drain passes.
#pragma once

#include <cstdint>

#include "core/containers/container_resolver.hpp"
#include "core/kubernetes/pod_cache.hpp"

namespace vigil::kubernetes {

class ContainerPods {
public:
    // Registers with @containers for the containers it makes; both must outlive this.
    ContainerPods(containers::ContainerResolver &containers, const PodCache &cache);
    ~ContainerPods();
    ContainerPods(const ContainerPods &) = delete;
    ContainerPods &operator=(const ContainerPods &) = delete;

    // Brings every container held up to date if the cache changed since the
    // last call; otherwise returns at once.
    void refresh();

    // Sets @container's facts from the cache: its pod's, else "pending".
    void fill(containers::ContainerInfo &container) const;

private:
    containers::ContainerResolver &containers_;
    const PodCache &cache_;
    uint64_t refreshed_version_ = 0;
};

} // namespace vigil::kubernetes
