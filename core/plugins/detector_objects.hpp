// SPDX-License-Identifier: Apache-2.0
// A detector's BPF objects, as its descriptor declares them: turned into what
// the probe loader takes, opened with the constants the detector asked for in
// configure_bpf and the ones every object gets, loaded and attached.
#pragma once

#include <string>

#include "core/plugins/plugin_descriptor.hpp"
#include "core/plugins/running_plugin.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/probes/object_loader.hpp"

namespace vigil::plugins {

probes::ObjectSpec plugin_object_spec(const std::string &owner, const BpfObjectDescription &object);

// Loads every object of @plugin into plugin.objects(). False (with the reason
// logged) when the plugin is to be refused: configure_bpf failed, or none of
// its objects loaded. An object that fails while others load is logged and skipped.
bool load_detector_objects(RunningPlugin &plugin, const probes::LoadSettings &settings,
                           const probes::HostNamespaces &host);

} // namespace vigil::plugins
