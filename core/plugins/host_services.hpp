// SPDX-License-Identifier: Apache-2.0
// What the core offers plugins (the vigil_host_api callbacks), as an interface
// the sensor implements. Kept apart from the C thunks so each side is simple.
#pragma once

#include <cstdint>
#include <string>

#include <vigil/plugin_abi.h>

namespace vigil::plugins {

class HostServices {
public:
    virtual ~HostServices() = default;
    virtual int emit_alert(const std::string &plugin, const vigil_alert_request &request) = 0;
    virtual const vigil_process *find_process(uint32_t tgid) = 0;
    virtual uint32_t process_ancestry(uint32_t tgid, const vigil_process **ancestors, uint32_t capacity) = 0;
    virtual const vigil_container *find_container(uint64_t cgroup_id) = 0;
    virtual const vigil_process *find_process_in_namespace(uint32_t pid_ns, uint32_t ns_tgid) = 0;
    virtual const vigil_host_info *host_info() = 0;
    virtual uint32_t metric_register(const std::string &name, const std::string &help) = 0;
    virtual void metric_add(uint32_t metric, uint64_t delta) = 0;
    // ABI 1.7: @plugin's state directory, created; "" when there is none (see vigil_host_api).
    virtual std::string state_directory(const std::string &plugin) = 0;
    virtual uint64_t records_lost() = 0;
};

} // namespace vigil::plugins
