// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <fcntl.h>

#include <string>

namespace vigil_injection {
namespace {

Policy read_policy(const vigil::Config &config)
{
    Policy policy;
    policy.allowed_tracers = GlobList(config.get_list("allowed_tracers"));
    policy.allowed_preload_libraries = GlobList(config.get_list("allowed_preload_libraries"));
    policy.allowed_memfd_names = GlobList(config.get_list("allowed_memfd_names"));
    policy.switches = vigil::read_disabled_rules(config, rule_table);
    return policy;
}

} // namespace

InjectionDetector::InjectionDetector(vigil::Host host, const vigil::Config &config)
    : Detector(host), policy_(read_policy(config)), containers_only_(config.get_bool("containers_only")),
      allowed_(host.counter("allowed_findings", "Findings not alerted on because the configuration allows them")),
      malformed_(host.counter("malformed_records", "Records too short for their kind, ignored"))
{
}

void InjectionDetector::configure_bpf(const vigil::BpfSetup &setup)
{
    // The kernel side drops host processes early; user space still makes the exact call (on_event).
    // vigil_watch_host (a bool in vigil/bpf/dispatch.h) also tells the core's dispatcher whether the
    // object's stages run for host tasks.
    const bool watch_host = !containers_only_;
    setup.set_constant(bpf_object_name, "vigil_watch_host", watch_host);
    // The open stage looks at write-opens only (ld.so.preload, libraries): reads end in the core's dispatcher.
    setup.set_open_filter(bpf_object_name, O_WRONLY | O_RDWR, {}, false);
}

void InjectionDetector::on_event(const vigil::Event &event)
{
    // The kernel's test is a superset ("may be in a container"); the sensor's cgroup view is exact.
    if (containers_only_ && !event.in_container()) {
        return;
    }
    bool well_formed = false;
    switch (event.kind()) {
    case INJECTION_KIND_PTRACE:
        if (const auto *record = event.as<injection_ptrace>()) {
            on_ptrace(event, *record);
            well_formed = true;
        }
        break;
    case INJECTION_KIND_VM_WRITEV:
        if (const auto *record = event.as<injection_vm_writev>()) {
            on_vm_writev(event, *record);
            well_formed = true;
        }
        break;
    case INJECTION_KIND_OPEN:
        if (const auto *record = event.as<injection_open>()) {
            on_open(event, *record);
            well_formed = true;
        }
        break;
    case INJECTION_KIND_EXEC:
        if (const auto *record = event.as<injection_exec>()) {
            on_exec(event, *record);
            well_formed = true;
        }
        break;
    default:
        return; // not ours: a core kind the plugin did not subscribe to never arrives
    }
    if (!well_formed) {
        malformed_.add();
    }
}

Caller InjectionDetector::caller_of(const vigil::Event &event) const
{
    Caller caller;
    caller.ns_tgid = event.header().ns_tgid;
    if (const auto *process = event.process(); process != nullptr && process->exe != nullptr) {
        caller.exe = process->exe;
    }
    return caller;
}

} // namespace vigil_injection
