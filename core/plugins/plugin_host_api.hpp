// SPDX-License-Identifier: Apache-2.0
// The vigil_host_api one plugin receives: C callbacks whose context names the
// plugin, forwarding to HostServices. No exception crosses back into a plugin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <vigil/plugin_abi.h>

#include "core/plugins/host_services.hpp"
#include "core/plugins/plugin_maps.hpp"

namespace vigil::plugins {

class PluginHostApi {
public:
    PluginHostApi(std::string plugin_name, HostServices &services);
    PluginHostApi(const PluginHostApi &) = delete;
    PluginHostApi &operator=(const PluginHostApi &) = delete;

    // Stable for this object's lifetime, as the ABI promises plugins.
    const vigil_host_api *api() const { return &api_; }
    const std::string &plugin_name() const { return plugin_name_; }

    // The plugin's loaded BPF objects, for map_update and map_delete: set once by its RunningPlugin.
    void set_objects(const PluginMaps::Objects *objects) { maps_.set_objects(objects); }

    // Plugin log lines beyond this many per second are counted, not printed.
    static constexpr uint32_t log_lines_per_second = 50;

private:
    static void log(void *context, uint32_t level, const char *message);
    static int emit_alert(void *context, const vigil_alert_request *alert);
    static const vigil_process *find_process(void *context, uint32_t tgid);
    static uint32_t process_ancestry(void *context, uint32_t tgid, const vigil_process **ancestors, uint32_t capacity);
    static const vigil_container *find_container(void *context, uint64_t cgroup_id);
    static uint32_t metric_register(void *context, const char *name, const char *help);
    static void metric_add(void *context, uint32_t metric, uint64_t delta);
    static uint64_t now_ns(void *context);
    static const vigil_process *find_process_in_namespace(void *context, uint32_t pid_ns, uint32_t ns_tgid);
    static const vigil_host_info *host_info(void *context);
    static const char *state_directory(void *context);
    static uint64_t records_lost(void *context);
    static int map_update(void *context, const char *object, const char *map, const void *key, uint32_t key_size,
                          const void *value, uint32_t value_size);
    static int map_delete(void *context, const char *object, const char *map, const void *key, uint32_t key_size);

    bool admit_log_line();

    std::string plugin_name_;
    HostServices &services_;
    vigil_host_api api_{};
    uint64_t log_window_start_ns_ = 0;
    uint32_t log_lines_in_window_ = 0;
    uint64_t log_lines_suppressed_ = 0;
    // Asked of the services once, on the first call; the ABI hands out its c_str() until destroy.
    std::optional<std::string> state_directory_;
    PluginMaps maps_;
};

} // namespace vigil::plugins
