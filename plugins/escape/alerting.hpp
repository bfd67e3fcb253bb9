// SPDX-License-Identifier: Apache-2.0
// Pieces every alert of the plugin is built from.
#pragma once

#include <cstdint>
#include <string>

#include <vigil/alert.hpp>

#include "escape_events.h"
#include "paths.hpp"
#include "rules.hpp"

namespace vigil_escape {

// The outcome of a syscall: its return value and whether it succeeded.
inline void add_outcome(vigil::Alert &alert, int64_t ret)
{
    alert.evidence("return_value", ret).evidence_bool("succeeded", ret >= 0);
}

// "mnt:4026531841 pid:... pid_for_children:... net:... uts:... ipc:... cgroup:... user:..."
std::string namespaces_text(const escape_namespaces &namespaces);

// The name of an escape_syscall value.
const char *syscall_name(uint16_t syscall);

} // namespace vigil_escape
