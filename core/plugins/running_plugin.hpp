// SPDX-License-Identifier: Apache-2.0
// A plugin that passed its checks and init: its instance, the host API it was
// given, its options, and (for detectors) its loaded BPF objects.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/config/plugin_options.hpp"
#include "core/plugins/plugin_host_api.hpp"
#include "core/plugins/plugin_library.hpp"
#include "core/probes/object_loader.hpp"

namespace vigil::plugins {

class RunningPlugin {
public:
    // @instance_name: the config table name (an output may run as several instances).
    RunningPlugin(const plugins::PluginLibrary &library, std::string instance_name,
                  std::unique_ptr<plugins::PluginHostApi> host_api, config::PluginOptions options);
    // Destroys the instance first, then detaches and closes its BPF objects.
    ~RunningPlugin();
    RunningPlugin(const RunningPlugin &) = delete;
    RunningPlugin &operator=(const RunningPlugin &) = delete;

    // Calls the plugin's init; false (with the plugin's own log lines already out) if it refused.
    bool initialise();
    void destroy_instance();

    const plugins::PluginDescriptor &descriptor() const { return library_.descriptor(); }
    const plugins::PluginLibrary &library() const { return library_; }
    const std::string &instance_name() const { return instance_name_; }
    const vigil_plugin_hooks &hooks() const { return library_.descriptor().hooks; }
    void *instance() const { return instance_; }
    const plugins::PluginHostApi &host_api() const { return *host_api_; }

    std::vector<std::unique_ptr<probes::LoadedObject>> &objects() { return objects_; }

    uint64_t events = 0;
    uint64_t event_errors = 0;

private:
    const plugins::PluginLibrary &library_;
    std::string instance_name_;
    std::unique_ptr<plugins::PluginHostApi> host_api_;
    config::PluginOptions options_;
    void *instance_ = nullptr;
    std::vector<std::unique_ptr<probes::LoadedObject>> objects_;
};

} // namespace vigil::plugins
