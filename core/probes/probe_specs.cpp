// SPDX-License-Identifier: Apache-2.0
#include "core/probes/probe_specs.hpp"

#include <algorithm>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "core/probes/load_time_constants.hpp"
#include "process_lifecycle.skel.h"

namespace vigil::probes {

probes::ObjectSpec core_lifecycle_spec()
{
    probes::ObjectSpec spec;
    spec.owner = "core";
    spec.name = "process_lifecycle";
    spec.elf = process_lifecycle__elf_bytes(&spec.elf_size);
    // Each job: the preferred program first, its fallback second (see process_lifecycle.bpf.c).
    spec.programs = {
        {"exec_tracepoint", "exec", 0, false},
        {"exec_btf", "exec", 1, false},
        {"fork_btf", "fork", 0, false},
        {"fork_raw", "fork", 1, false},
        {"exit_tracepoint", "exit", 0, false},
        {"exit_btf", "exit", 1, false},
        {"cgroup_mkdir_tracepoint", "cgroup_mkdir", 0, false},
        {"cgroup_mkdir_btf", "cgroup_mkdir", 1, false},
        {"cgroup_rmdir_tracepoint", "cgroup_rmdir", 0, false},
        {"cgroup_rmdir_btf", "cgroup_rmdir", 1, false},
    };
    spec.ring_buffers = {"lifecycle_events"};
    return spec;
}

std::set<probes::AttachType> disabled_attach_types(const config::SensorConfig &sensor)
{
    std::set<probes::AttachType> types;
    for (const auto &name : sensor.disabled_attach_types) {
        if (auto type = probes::parse_attach_type(name)) {
            types.insert(*type);
        }
    }
    return types;
}

void set_common_constants(bpf_object *object, const probes::ObjectSpec &spec, const HostNamespaces &host,
                          uint32_t ring_buffer_bytes)
{
    // Objects that do not declare a constant simply do not get it.
    auto sensor = static_cast<uint32_t>(getpid());
    probes::set_load_time_constant(object, "vigil_sensor_tgid", &sensor, sizeof(sensor));
    probes::set_load_time_constant(object, "vigil_host_mnt_ns", &host.mnt_ns, sizeof(host.mnt_ns));
    probes::set_load_time_constant(object, "vigil_host_pid_ns", &host.pid_ns, sizeof(host.pid_ns));
    // Wake the sensor when a ring is a quarter full: early enough that it never overflows between drains.
    uint64_t smallest_ring = UINT64_MAX;
    for (const auto &ring : spec.ring_buffers) {
        if (bpf_map *map = bpf_object__find_map_by_name(object, ring.c_str())) {
            uint64_t size = ring_buffer_bytes != 0 ? ring_buffer_bytes : bpf_map__max_entries(map);
            smallest_ring = std::min(smallest_ring, size);
        }
    }
    if (smallest_ring != UINT64_MAX) {
        uint64_t wakeup = smallest_ring / 4;
        probes::set_load_time_constant(object, "vigil_wakeup_bytes", &wakeup, sizeof(wakeup));
    }
}

} // namespace vigil::probes
