// SPDX-License-Identifier: Apache-2.0
// The injection plugin's descriptor: what it detects, its options, and the
// BPF programs the sensor loads for it. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

#include "injection.skel.h" // injection__elf_bytes(): the compiled injection.bpf.c

namespace vigil_injection {
namespace {

using vigil::bpf_program;
using vigil::config_key;

constexpr std::array config_keys{
    config_key("containers_only", VIGIL_CONFIG_BOOL, "false",
               "Watch only processes in containers; by default host processes are watched too."),
    config_key("allowed_tracers", VIGIL_CONFIG_STRING_LIST, "[]",
               "Executables (paths or fnmatch globs) allowed to ptrace, process_vm_writev and write "
               "/proc/<pid>/mem of other processes, such as a debugger run on purpose."),
    config_key("allowed_preload_libraries", VIGIL_CONFIG_STRING_LIST, "[]",
               "Libraries (paths or fnmatch globs) LD_PRELOAD may name without an alert, such as "
               "\"*/libjemalloc.so*\"."),
    config_key("allowed_memfd_names", VIGIL_CONFIG_STRING_LIST, "[\"runc_cloned:/proc/self/exe\"]",
               "memfd_create() names (fnmatch globs) whose exec by a host process is expected; runc "
               "re-executes itself from \"runc_cloned:/proc/self/exe\". Never applies inside a container."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"injection.ld_preload_env\"."),
};

// Group "syscalls" (0): the opens and execs as stages of the core's open_enter, execve_enter and
// execve_exit hooks (its dispatcher runs them; listed like any program, they count as not attached
// where it cannot attach), ptrace and process_vm_writev as one tp/syscalls program per syscall and
// side; or raw_tp on every syscall (1).
// Group "exec": tp/sched (0), or tp_btf, which needs no tracefs (1).
constexpr std::array programs{
    bpf_program("ptrace_enter", "syscalls", 0),
    bpf_program("ptrace_exit", "syscalls", 0),
    bpf_program("vm_writev_enter", "syscalls", 0),
    bpf_program("vm_writev_exit", "syscalls", 0),
    bpf_program("injection_open_enter", "syscalls", 0),
    bpf_program("injection_execve_enter", "syscalls", 0),
    bpf_program("injection_execve_exit", "syscalls", 0),
    bpf_program("sys_enter_raw", "syscalls", 1),
    bpf_program("sys_exit_raw", "syscalls", 1),
    bpf_program("exec_tp", "exec", 0),
    bpf_program("exec_btf", "exec", 1),
};

constexpr std::array<const char *, 1> ring_buffers{"injection_events"};

const std::array bpf_objects{
    vigil::bpf_object(bpf_object_name, injection__elf_bytes, programs, ring_buffers),
};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<InjectionDetector>({
    .name = "injection",
    .version = "0.1.0",
    .description = "Detects process injection (ptrace, process_vm_writev, /proc/<pid>/mem writes), fileless "
                   "execution from memfd and /dev/shm, and dynamic linker hijacking (LD_PRELOAD, "
                   "/etc/ld.so.preload).",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .bpf_objects = bpf_objects,
});

} // namespace
} // namespace vigil_injection

VIGIL_EXPORT_PLUGIN(vigil_injection::descriptor)
