// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/container_facts.hpp"

#include <algorithm>

namespace vigil::kubernetes {

containers::PodFacts container_facts(std::shared_ptr<const PodMetadata> pod, std::string_view container_id)
{
    containers::PodFacts facts;
    facts.source = VIGIL_METADATA_API;
    facts.pod_namespace = pod->namespace_name.c_str();
    facts.pod_name = pod->name.c_str();
    facts.template_hash = pod->template_hash.c_str();
    if (pod->owner_kind.empty()) {
        facts.workload_kind = "Pod";
        facts.workload_name = pod->name.c_str();
    } else {
        facts.workload_kind = pod->workload_kind.c_str();
        facts.workload_name = pod->workload_name.c_str();
    }
    auto status = std::ranges::find(pod->containers, container_id, &ContainerStatus::id);
    if (status != pod->containers.end()) {
        facts.name = status->name.c_str();
        facts.image = status->image.c_str();
        facts.image_id = status->image_id.c_str();
    }
    facts.owner = std::move(pod);
    return facts;
}

} // namespace vigil::kubernetes
