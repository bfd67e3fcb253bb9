// SPDX-License-Identifier: Apache-2.0
// The escape plugin's descriptor: what it detects, its options, and the BPF
// programs the sensor loads for it. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

#include "escape.skel.h" // escape__elf_bytes(): the compiled escape.bpf.c

namespace vigil_escape {
namespace {

using vigil::bpf_program;
using vigil::config_key;

constexpr std::array config_keys{
    config_key("allowed_mount_executables", VIGIL_CONFIG_STRING_LIST, "[]",
               "Executables (paths or fnmatch globs) in containers allowed to mount block devices, procfs and "
               "cgroupfs, bind other processes' roots, chroot and pivot_root, such as a CSI node plugin."),
    config_key("allowed_bpf_executables", VIGIL_CONFIG_STRING_LIST, "[]",
               "Executables (paths or fnmatch globs) in containers allowed to load BPF programs, such as a CNI "
               "or observability agent."),
    config_key("userns_window_s", VIGIL_CONFIG_INTEGER, "10",
               "Seconds (1 to 3600) after unsharing a user namespace during which a mount, chroot or "
               "pivot_root by the same process is reported as escape.userns_then_mount."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"escape.sysrq_trigger_write\"."),
    config_key("module_attempts_on_every_syscall", VIGIL_CONFIG_BOOL, "false",
               "On a kernel built without module support (no /proc/modules), still report attempts to load "
               "a module; they can only fail there, and watching them takes a program on every syscall."),
};

// Group "syscalls" (0): the opens as stages of the core's open_enter and open_exit hooks (its dispatcher
// runs them; listed like any program, they count as not attached where it cannot attach), the other
// syscalls as one tp/syscalls program per syscall and side; or raw_tp on every syscall (1).
// Group "modules": tp/syscalls for init_module and finit_module (0), or raw_tp (1).
// Group "setup": tp/cgroup and tp/sched (0), or tp_btf, which needs no tracefs (1).
constexpr std::array programs{
    bpf_program("escape_open_enter", "syscalls", 0),
    bpf_program("escape_open_exit", "syscalls", 0),
    bpf_program("mount_enter", "syscalls", 0),
    bpf_program("mount_exit", "syscalls", 0),
    bpf_program("fsopen_enter", "syscalls", 0),
    bpf_program("fsopen_exit", "syscalls", 0),
    bpf_program("chroot_enter", "syscalls", 0),
    bpf_program("chroot_exit", "syscalls", 0),
    bpf_program("pivot_root_enter", "syscalls", 0),
    bpf_program("pivot_root_exit", "syscalls", 0),
    bpf_program("setns_enter", "syscalls", 0),
    bpf_program("setns_exit", "syscalls", 0),
    bpf_program("unshare_enter", "syscalls", 0),
    bpf_program("unshare_exit", "syscalls", 0),
    bpf_program("bpf_enter", "syscalls", 0),
    bpf_program("bpf_exit", "syscalls", 0),
    bpf_program("sys_enter_raw", "syscalls", 1),
    bpf_program("sys_exit_raw", "syscalls", 1),
    // Kernels built without loadable modules have no module syscall tracepoints, though the calls
    // exist (and fail): a group of its own, so that they do not push the other syscalls to raw_tp.
    bpf_program("init_module_enter", "modules", 0),
    bpf_program("init_module_exit", "modules", 0),
    bpf_program("finit_module_enter", "modules", 0),
    bpf_program("finit_module_exit", "modules", 0),
    bpf_program("module_enter_raw", "modules", 1),
    bpf_program("cgroup_mkdir_tp", "setup", 0),
    bpf_program("exec_tp", "setup", 0),
    bpf_program("cgroup_mkdir_btf", "setup", 1),
    bpf_program("exec_btf", "setup", 1),
};

constexpr std::array<const char *, 1> ring_buffers{"escape_events"};

const std::array bpf_objects{
    vigil::bpf_object(bpf_object_name, escape__elf_bytes, programs, ring_buffers),
};

// Execs, to see a container's process running in the host's mount namespace.
constexpr std::array<uint16_t, 2> subscribed_kinds{VIGIL_KIND_PROCESS_EXEC, VIGIL_KIND_CGROUP_CREATED};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<EscapeDetector>({
    .name = "escape",
    .version = "0.1.0",
    .description = "Detects escapes from containers to the host: writes to host-control files (release_agent, "
                   "core_pattern, sysrq-trigger, modprobe, binfmt_misc), sensitive mounts, chroot or pivot_root "
                   "to the host, joining the host's namespaces, other processes' roots, kernel module and BPF "
                   "loads, and user namespaces followed by mounts.",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .subscribed_kinds = subscribed_kinds,
    .bpf_objects = bpf_objects,
});

} // namespace
} // namespace vigil_escape

VIGIL_EXPORT_PLUGIN(vigil_escape::descriptor)
