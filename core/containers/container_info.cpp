// SPDX-License-Identifier: Apache-2.0
#include "core/containers/container_info.hpp"

#include <utility>

namespace vigil::containers {

ContainerInfo::ContainerInfo(uint64_t cgroup, CgroupIdentity identity, std::string path)
    : cgroup_id(cgroup), id(std::move(identity.container_id)), runtime(identity.runtime),
      pod_uid(std::move(identity.pod_uid)), qos(identity.qos), cgroup_path(std::move(path))
{
    view.struct_size = sizeof(view);
    view.cgroup_id = cgroup_id;
    view.id = id.c_str();
    view.runtime = runtime_name(runtime).data(); // a string literal, so NUL-terminated
    view.pod_uid = pod_uid.c_str();
    view.cgroup_path = cgroup_path.c_str();
}

} // namespace vigil::containers
