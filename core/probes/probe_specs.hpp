// SPDX-License-Identifier: Apache-2.0
// What the sensor asks the probe loader for: the core's own lifecycle object,
// the attach types the configuration disables, and the constants every object
// gets. Shared by `vigil run` and `vigil check`.
#pragma once

#include <set>
#include <string>

#include "core/config/config.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/probes/object_loader.hpp"

namespace vigil::probes {

probes::ObjectSpec core_lifecycle_spec();
std::set<probes::AttachType> disabled_attach_types(const config::SensorConfig &sensor);

// Sets the constants every object may declare (bpf/filters.h, bpf/ring.h): the
// sensor's pid, the host's namespaces, and when to wake the sensor.
void set_common_constants(bpf_object *object, const probes::ObjectSpec &spec, const HostNamespaces &host,
                          uint32_t ring_buffer_bytes);

} // namespace vigil::probes
