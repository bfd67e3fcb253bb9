// SPDX-License-Identifier: Apache-2.0
#include "core/containers/container_info.hpp"

#include <utility>

namespace vigil::containers {

ContainerInfo::ContainerInfo(uint64_t cgroup, CgroupIdentity identity, std::string path, ContainerStart begun)
    : cgroup_id(cgroup), id(std::move(identity.container_id)), runtime(identity.runtime),
      pod_uid(std::move(identity.pod_uid)), qos(identity.qos), cgroup_path(std::move(path)), start(begun)
{
    view.struct_size = sizeof(view);
    view.cgroup_id = cgroup_id;
    view.id = id.c_str();
    view.runtime = runtime_name(runtime).data(); // a string literal, so NUL-terminated
    view.pod_uid = pod_uid.c_str();
    view.cgroup_path = cgroup_path.c_str();
    view.started_ns = start.started_ns;
    view.existed_at_start = start.existed_at_start ? 1 : 0;
    set_pod_facts(PodFacts{});
}

void ContainerInfo::set_pod_facts(PodFacts facts)
{
    pod = std::move(facts);
    view.name = pod.name;
    view.image = pod.image;
    view.image_id = pod.image_id;
    view.pod_namespace = pod.pod_namespace;
    view.pod_name = pod.pod_name;
    view.workload_kind = pod.workload_kind;
    view.workload_name = pod.workload_name;
    view.template_hash = pod.template_hash;
    view.metadata_source = pod.source;
}

} // namespace vigil::containers
