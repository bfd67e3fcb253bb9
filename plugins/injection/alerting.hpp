// SPDX-License-Identifier: Apache-2.0
// Pieces every alert of the plugin is built from.
#pragma once

#include <cstdint>
#include <string>

#include <vigil/alert.hpp>

#include "paths.hpp"
#include "rules.hpp"

namespace vigil_injection {

// The process a syscall named by its pid in the caller's pid namespace, if the sensor knows it.
inline const vigil_process *resolve_target(const vigil::Host &host, const vigil::Event &event, uint32_t ns_pid)
{
    return host.find_process_in_namespace(event.header().pid_ns, ns_pid);
}

// Evidence about a target process: its pid as the caller named it and, when
// resolved, its pid on the host and its executable.
inline void add_target_evidence(vigil::Alert &alert, uint32_t ns_pid, const vigil_process *target)
{
    alert.evidence("target_pid", ns_pid);
    if (target != nullptr) {
        alert.evidence("target_global_pid", target->tgid);
        if (target->exe != nullptr) {
            alert.evidence("target_exe", target->exe);
        }
    }
}

// "<caller tgid>-><target ns pid>": repeats of one process working on another are one finding.
inline std::string caller_target_key(const vigil::Event &event, uint32_t target_ns_pid)
{
    return std::to_string(event.header().tgid) + "->" + std::to_string(target_ns_pid);
}

} // namespace vigil_injection
