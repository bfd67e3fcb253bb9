// SPDX-License-Identifier: Apache-2.0
#include "alerting.hpp"

namespace vigil_escape {

std::string namespaces_text(const escape_namespaces &namespaces)
{
    return "mnt:" + std::to_string(namespaces.mnt) + " pid:" + std::to_string(namespaces.pid) +
           " pid_for_children:" + std::to_string(namespaces.pid_for_children) +
           " net:" + std::to_string(namespaces.net) + " uts:" + std::to_string(namespaces.uts) +
           " ipc:" + std::to_string(namespaces.ipc) + " cgroup:" + std::to_string(namespaces.cgroup) +
           " user:" + std::to_string(namespaces.user);
}

const char *syscall_name(uint16_t syscall)
{
    switch (syscall) {
    case ESCAPE_SYSCALL_OPEN:
        return "open";
    case ESCAPE_SYSCALL_OPENAT:
        return "openat";
    case ESCAPE_SYSCALL_OPENAT2:
        return "openat2";
    case ESCAPE_SYSCALL_MOUNT:
        return "mount";
    case ESCAPE_SYSCALL_CHROOT:
        return "chroot";
    case ESCAPE_SYSCALL_PIVOT_ROOT:
        return "pivot_root";
    case ESCAPE_SYSCALL_SETNS:
        return "setns";
    case ESCAPE_SYSCALL_UNSHARE:
        return "unshare";
    case ESCAPE_SYSCALL_INIT_MODULE:
        return "init_module";
    case ESCAPE_SYSCALL_FINIT_MODULE:
        return "finit_module";
    case ESCAPE_SYSCALL_BPF:
        return "bpf";
    case ESCAPE_SYSCALL_FSOPEN:
        return "fsopen";
    default:
        return "unknown";
    }
}

} // namespace vigil_escape
