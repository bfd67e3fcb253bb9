// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <string>

namespace vigil_escape {
namespace {

// How many processes with a fresh user namespace, and kernel loads awaiting their outcome, are kept.
constexpr std::size_t userns_capacity = 1024;
constexpr std::size_t pending_load_capacity = 256;
// New cgroups remembered until something execs in them (the kernel side keeps as many).
constexpr std::size_t cgroups_in_setup_capacity = 4096;
// How long an attempt to load kernel code waits for its outcome before it is reported without one.
constexpr uint64_t load_outcome_wait_ns = 2'000'000'000;

Policy read_policy(const vigil::Config &config)
{
    Policy policy;
    policy.allowed_mount_executables = GlobList(config.get_list("allowed_mount_executables"));
    policy.allowed_bpf_executables = GlobList(config.get_list("allowed_bpf_executables"));
    auto window = config.get_integer("userns_window_s");
    if (window < 1 || window > 3600) {
        throw vigil::ConfigError("userns_window_s must be between 1 and 3600");
    }
    policy.userns_window_ns = static_cast<uint64_t>(window) * 1'000'000'000ull;
    policy.switches = vigil::read_disabled_rules(config, rule_table);
    policy.module_attempts_on_every_syscall = config.get_bool("module_attempts_on_every_syscall");
    return policy;
}

// The device of the host's "/": through the host's procfs (the sensor may run in a container), else our own.
std::optional<Device> host_root_device(const char *proc_root)
{
    struct stat status {};
    std::string through_proc = std::string(proc_root != nullptr ? proc_root : "/proc") + "/1/root/";
    if (stat(through_proc.c_str(), &status) != 0 && stat("/", &status) != 0) {
        return std::nullopt;
    }
    return Device{major(status.st_dev), minor(status.st_dev)};
}

HostFacts read_host_facts(const vigil::Host &host)
{
    HostFacts facts;
    const auto *info = host.host_info();
    if (info != nullptr) {
        facts.mnt_ns = info->mnt_ns;
        facts.pid_ns = info->pid_ns;
        facts.net_ns = info->net_ns;
    }
    const char *proc_root = info != nullptr ? info->proc_root : "/proc";
    facts.root_device = host_root_device(proc_root);
    // Without module support init_module() and finit_module() can only fail.
    struct stat status {};
    facts.loads_modules = stat((std::string(proc_root) + "/modules").c_str(), &status) == 0;
    return facts;
}

} // namespace

EscapeDetector::EscapeDetector(vigil::Host host, const vigil::Config &config)
    : Detector(host), policy_(read_policy(config)), host_facts_(read_host_facts(host)), userns_starts_(userns_capacity),
      pending_loads_(pending_load_capacity), cgroups_in_setup_(cgroups_in_setup_capacity),
      allowed_(host.counter("allowed_findings", "Findings not alerted on because the configuration allows them")),
      runtime_setup_(host.counter("runtime_setup_records",
                                  "Records of the container runtime setting a new container up, not alerted on")),
      malformed_(host.counter("malformed_records", "Records too short for their kind, ignored"))
{
    if (host_facts_.mnt_ns == 0) {
        host.log(VIGIL_LOG_WARNING, "the host's namespaces are unknown: host-namespace rules cannot fire");
    }
}

// A kernel without module support has no tracepoints for init_module and
// finit_module, and a load can only fail there: the one way left to see an
// attempt is a program on every syscall of the node, which this kernel is
// spared unless the configuration asks for it.
void EscapeDetector::configure_bpf(const vigil::BpfSetup &setup)
{
    // The open stage looks at write-opens (control files) and at /proc paths (another process's root):
    // every other open ends in the core's dispatcher.
    setup.set_open_filter(bpf_object_name, O_WRONLY | O_RDWR, {"/proc/"}, false);
    if (host_facts_.loads_modules || policy_.module_attempts_on_every_syscall) {
        return;
    }
    constexpr const char *reason = "this kernel cannot load modules (no /proc/modules), so attempts are not watched "
                                   "(module_attempts_on_every_syscall = true watches them, on every syscall)";
    for (const char *program :
         {"init_module_enter", "init_module_exit", "finit_module_enter", "finit_module_exit", "module_enter_raw"}) {
        setup.skip_program(bpf_object_name, program, reason);
    }
}

void EscapeDetector::on_event(const vigil::Event &event)
{
    // The runtime (a host process) creates a container's cgroup: remember it as being set up.
    if (event.kind() == VIGIL_KIND_CGROUP_CREATED) {
        if (const auto *record = event.as<vigil_cgroup_change>()) {
            cgroups_in_setup_.created(record->cgroup_id);
        }
        return;
    }
    // Every rule is about leaving a container: a host process has nowhere to escape to.
    if (!event.in_container()) {
        return;
    }
    bool well_formed = false;
    switch (event.kind()) {
    case ESCAPE_KIND_CONTROL_OPEN:
        if (const auto *record = event.as<escape_control_open>()) {
            on_control_open(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_ROOT_OPEN:
        if (const auto *record = event.as<escape_root_open>()) {
            on_root_open(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_MOUNT:
        if (const auto *record = event.as<escape_mount>()) {
            on_mount(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_ROOT_CHANGE:
        if (const auto *record = event.as<escape_root_change>()) {
            on_root_change(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_SETNS:
        if (const auto *record = event.as<escape_namespace_change>()) {
            on_setns(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_UNSHARE:
        if (const auto *record = event.as<escape_namespace_change>()) {
            on_unshare(event, *record);
            well_formed = true;
        }
        break;
    case ESCAPE_KIND_KERNEL_LOAD:
        if (const auto *record = event.as<escape_kernel_load>()) {
            on_kernel_load(event, *record);
            well_formed = true;
        }
        break;
    case VIGIL_KIND_PROCESS_EXEC:
        if (const auto *record = event.as<vigil_process_exec>()) {
            on_exec(event, *record);
            well_formed = true;
        }
        break;
    default:
        return;
    }
    if (!well_formed) {
        malformed_.add();
    }
}

void EscapeDetector::on_tick(uint64_t now_ns)
{
    userns_starts_.expire(now_ns, policy_.userns_window_ns);
    if (now_ns > load_outcome_wait_ns) {
        for (const auto &pending : pending_loads_.take_older_than(now_ns - load_outcome_wait_ns)) {
            report_kernel_load(nullptr, pending.attempt, nullptr);
        }
    }
}

Caller EscapeDetector::caller_of(const vigil::Event &event, uint32_t record_flags) const
{
    Caller caller;
    caller.ns_tgid = event.header().ns_tgid;
    caller.mnt_ns = event.header().mnt_ns;
    caller.runtime_setup = (record_flags & ESCAPE_FLAG_RUNTIME_SETUP) != 0;
    if (const auto *process = event.process(); process != nullptr && process->exe != nullptr) {
        caller.exe = process->exe;
    }
    if (caller.runtime_setup) {
        runtime_setup_.add();
    }
    return caller;
}

} // namespace vigil_escape
