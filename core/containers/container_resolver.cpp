// SPDX-License-Identifier: Apache-2.0
#include "core/containers/container_resolver.hpp"

#include <string>
#include <utility>

namespace vigil::containers {

ContainerResolver::ContainerResolver(CgroupDirectory &directory, std::size_t capacity)
    : directory_(directory), answers_(capacity)
{
}

const ContainerInfo *ContainerResolver::resolve(uint64_t cgroup_id)
{
    if (const Answer *known = answers_.find(cgroup_id)) {
        ++statistics_.hits;
        return known->get();
    }
    ++statistics_.misses;
    auto path = directory_.path_of(cgroup_id);
    return remember(cgroup_id, path ? answer_for(cgroup_id, *path) : nullptr);
}

void ContainerResolver::on_cgroup_created(uint64_t cgroup_id, std::string_view path)
{
    directory_.add(cgroup_id, path);
    auto answer = answer_for(cgroup_id, path);
    // A container's answer is stored now so that its first event is a hit.
    // Host cgroups are many and mostly never seen in events: those are only
    // stored when asked for, unless an old answer must be corrected.
    if (answer || answers_.contains(cgroup_id))
        remember(cgroup_id, std::move(answer));
}

void ContainerResolver::on_cgroup_removed(uint64_t cgroup_id)
{
    directory_.remove(cgroup_id);
}

ContainerResolver::Answer ContainerResolver::answer_for(uint64_t cgroup_id, std::string_view path)
{
    auto identity = parse_cgroup_path(path);
    if (!identity)
        return nullptr;
    return std::make_unique<const ContainerInfo>(cgroup_id, std::move(*identity), std::string(path));
}

const ContainerInfo *ContainerResolver::remember(uint64_t cgroup_id, Answer answer)
{
    const ContainerInfo *container = answer.get();
    if (!container)
        ++statistics_.negative_entries;
    if (const Answer *replaced = answers_.peek(cgroup_id); replaced && !*replaced)
        --statistics_.negative_entries;
    if (auto evicted = answers_.insert_or_assign(cgroup_id, std::move(answer))) {
        ++statistics_.evictions;
        if (!evicted->second)
            --statistics_.negative_entries;
    }
    return container;
}

} // namespace vigil::containers
