// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on writing into another process through a syscall:
// injection.ptrace_attach, injection.ptrace_write, injection.process_vm_writev.
#include <string>

#include "alerting.hpp"
#include "detector.hpp"
#include "ptrace_requests.hpp"

namespace vigil_injection {

void InjectionDetector::on_ptrace(const vigil::Event &event, const injection_ptrace &record)
{
    PtraceCall call{record.request, record.ret, record.target_ns_pid};
    auto judgement = judge_ptrace(call, caller_of(event), policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const auto *target = resolve_target(host(), event, record.target_ns_pid);
    const char *known_name = ptrace_request_name(record.request);
    const std::string request = known_name != nullptr ? known_name : "ptrace request " + std::to_string(record.request);
    const std::string actor = event.actor_name();
    const std::string key = caller_target_key(event, record.target_ns_pid);
    const bool succeeded = record.ret >= 0;
    const char *target_exe = target != nullptr && target->exe != nullptr ? target->exe : "an unknown program";

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (judgement->rule == Rule::ptrace_attach) {
        alert.summary(succeeded ? "%s attached to process %u (%s) with %s"
                                : "%s tried to attach to process %u (%s) with %s, which failed",
                      actor.c_str(), record.target_ns_pid, target_exe, request.c_str());
    } else {
        alert.summary(succeeded ? "%s changed the memory or registers of process %u (%s) with %s"
                                : "%s tried to change the memory or registers of process %u (%s) with %s, which "
                                  "failed",
                      actor.c_str(), record.target_ns_pid, target_exe, request.c_str());
        alert.evidence("address", static_cast<uint64_t>(record.address));
    }
    alert.event(event)
        .evidence("syscall", "ptrace")
        .evidence("request", request.c_str())
        .evidence("request_number", static_cast<int64_t>(record.request))
        .evidence("return_value", static_cast<int64_t>(record.ret))
        .evidence_bool("succeeded", succeeded)
        .dedup_key(key.c_str());
    add_target_evidence(alert, record.target_ns_pid, target);
    alert.emit(host());
}

void InjectionDetector::on_vm_writev(const vigil::Event &event, const injection_vm_writev &record)
{
    VmWritevCall call{record.ret, record.target_ns_pid};
    auto judgement = judge_vm_writev(call, caller_of(event), policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const auto *target = resolve_target(host(), event, record.target_ns_pid);
    const std::string actor = event.actor_name();
    const std::string key = caller_target_key(event, record.target_ns_pid);
    const bool succeeded = record.ret >= 0;
    const char *target_exe = target != nullptr && target->exe != nullptr ? target->exe : "an unknown program";

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (succeeded) {
        alert.summary("%s wrote %lld bytes into the memory of process %u (%s) with process_vm_writev", actor.c_str(),
                      static_cast<long long>(record.ret), record.target_ns_pid, target_exe);
    } else {
        alert.summary("%s tried to write into the memory of process %u (%s) with process_vm_writev, which failed",
                      actor.c_str(), record.target_ns_pid, target_exe);
    }
    alert.event(event)
        .evidence("syscall", "process_vm_writev")
        .evidence("return_value", static_cast<int64_t>(record.ret))
        .evidence_bool("succeeded", succeeded)
        .evidence("remote_address", static_cast<uint64_t>(record.remote_address))
        .evidence("remote_length", static_cast<uint64_t>(record.remote_length))
        .evidence("remote_iov_count", record.remote_iov_count)
        .evidence("local_iov_count", record.local_iov_count)
        .dedup_key(key.c_str());
    add_target_evidence(alert, record.target_ns_pid, target);
    alert.emit(host());
}

} // namespace vigil_injection
