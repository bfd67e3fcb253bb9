// What the sensor asks the probe loader for: the core's own lifecycle object,
// each plugin object as its descriptor declares it, and the attach types the
// configuration disables. Shared by `vigil run` and `vigil check`.
#pragma once

#include <set>
#include <string>

#include "core/config/config.hpp"
#include "core/plugins/plugin_descriptor.hpp"
#include "core/probes/object_loader.hpp"
#include "core/sensor/host_namespaces.hpp"

namespace vigil::sensor {

probes::ObjectSpec core_lifecycle_spec();
probes::ObjectSpec plugin_object_spec(const std::string &owner, const plugins::BpfObjectDescription &object);
std::set<probes::AttachType> disabled_attach_types(const config::SensorConfig &sensor);

// Sets the constants every object may declare (bpf/filters.h, bpf/ring.h): the
// sensor's pid, the host's namespaces, and when to wake the sensor.
void set_common_constants(bpf_object *object, const probes::ObjectSpec &spec, const HostNamespaces &host,
                          uint32_t ring_buffer_bytes);

} // namespace vigil::sensor
