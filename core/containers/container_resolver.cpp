// SPDX-License-Identifier: Apache-2.0
#include "core/containers/container_resolver.hpp"

#include "core/containers/cgroup_birth.hpp"

#include <string>
#include <utility>

namespace vigil::containers {

ContainerResolver::ContainerResolver(CgroupDirectory &directory, std::size_t capacity, uint64_t sensor_started_ns)
    : directory_(directory), sensor_started_ns_(sensor_started_ns), answers_(capacity)
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
    return remember(cgroup_id, path ? answer_for(cgroup_id, *path, std::nullopt) : nullptr);
}

void ContainerResolver::on_cgroup_created(uint64_t cgroup_id, std::string_view path, uint64_t created_ns)
{
    directory_.add(cgroup_id, path);
    auto answer = answer_for(cgroup_id, path, ContainerStart{created_ns, false});
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

void ContainerResolver::for_each_container(const std::function<void(ContainerInfo &)> &visit)
{
    answers_.for_each([&](const uint64_t &, Answer &answer) {
        if (answer)
            visit(*answer);
    });
}

ContainerResolver::Answer ContainerResolver::answer_for(uint64_t cgroup_id, std::string_view path,
                                                        std::optional<ContainerStart> start) const
{
    auto identity = parse_cgroup_path(path);
    if (!identity)
        return nullptr;
    if (!start) {
        // Only the directory knows, and its change time is an estimate; without
        // one, the container is taken to be older than the sensor, as most are.
        auto changed_ns = cgroup_change_time_ns(directory_.mount_point(), path);
        start = ContainerStart{changed_ns, changed_ns == 0 || changed_ns < sensor_started_ns_};
    }
    auto answer = std::make_unique<ContainerInfo>(cgroup_id, std::move(*identity), std::string(path), *start);
    if (new_container_hook_)
        new_container_hook_(*answer);
    return answer;
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
