// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on code loaded into the kernel: escape.kernel_module_load
// and escape.bpf_program_load. The attempt (sent at the syscall's entry) waits
// briefly for its outcome (sent at the exit), so that one alert carries both;
// an outcome that never comes (the kernel did not return) is reported without,
// and so is at once an attempt whose exit is not hooked.
#include <string>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_escape {

void EscapeDetector::on_kernel_load(const vigil::Event &event, const escape_kernel_load &record)
{
    if (caller_of(event, record.record_flags).runtime_setup) {
        return;
    }
    if (record.phase == ESCAPE_PHASE_ENTER && (record.record_flags & ESCAPE_FLAG_NO_EXIT) != 0) {
        report_kernel_load(&event, record, nullptr);
        return;
    }
    if (record.phase == ESCAPE_PHASE_ENTER) {
        if (auto pushed_out = pending_loads_.add(PendingLoad{host().now_ns(), record})) {
            report_kernel_load(nullptr, pushed_out->attempt, nullptr);
        }
        return;
    }
    auto attempt = pending_loads_.take(record.header.tid);
    const int64_t ret = record.ret;
    report_kernel_load(&event, attempt ? attempt->attempt : record, &ret);
}

void EscapeDetector::report_kernel_load(const vigil::Event *event, const escape_kernel_load &attempt,
                                        const int64_t *ret)
{
    Caller caller;
    caller.ns_tgid = attempt.header.ns_tgid;
    caller.mnt_ns = attempt.header.mnt_ns;
    const vigil_process *process = event != nullptr ? event->process() : host().find_process(attempt.header.tgid);
    if (process != nullptr && process->exe != nullptr) {
        caller.exe = process->exe;
    }
    const bool module_call =
        attempt.syscall == ESCAPE_SYSCALL_INIT_MODULE || attempt.syscall == ESCAPE_SYSCALL_FINIT_MODULE;
    // An attempt whose outcome is unseen cannot have loaded a module into a kernel that cannot load any.
    const bool cannot_succeed = ret == nullptr && module_call && !host_facts_.loads_modules;
    auto judgement =
        judge_kernel_load(attempt.syscall, (ret != nullptr && *ret < 0) || cannot_succeed, caller, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const std::string name(field_text(attempt.name));
    const std::string actor =
        !caller.exe.empty() ? std::string(caller.exe) : std::string(field_text(attempt.header.comm));
    const char *syscall = syscall_name(attempt.syscall);
    const bool module = judgement->rule == Rule::kernel_module_load;
    const char *what = module ? "a kernel module" : "a BPF program";
    const std::string outcome = ret == nullptr ? "unknown" : std::to_string(*ret);
    const std::string call =
        std::string(syscall) + (attempt.syscall == ESCAPE_SYSCALL_BPF ? "(BPF_PROG_LOAD)" : "()") + " = " + outcome;
    const std::string key = std::string(syscall) + ":" + std::to_string(attempt.header.tgid);

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (cannot_succeed) {
        alert.summary("%s tried to load %s from a container with %s, which this kernel (built without module "
                      "support) cannot do",
                      actor.c_str(), what, syscall);
    } else if (ret == nullptr) {
        alert.summary("%s tried to load %s from a container with %s; the outcome is not known", actor.c_str(), what,
                      syscall);
    } else if (*ret >= 0) {
        alert.summary("%s loaded %s from a container with %s", actor.c_str(), what, syscall);
    } else {
        alert.summary("%s tried to load %s from a container with %s, which failed (%lld)", actor.c_str(), what, syscall,
                      static_cast<long long>(*ret));
    }
    const char *sequence[] = {call.c_str()};
    if (event != nullptr) {
        alert.event(*event);
    } else {
        alert.subject(attempt.header.tgid);
    }
    alert.evidence("syscall", syscall).evidence_list("syscall_sequence", sequence, 1).dedup_key(key.c_str());
    if (ret != nullptr) {
        add_outcome(alert, *ret);
    } else {
        alert.evidence_bool("outcome_known", false);
    }
    if (module_call) {
        alert.evidence_bool("kernel_loads_modules", host_facts_.loads_modules);
    }
    switch (attempt.syscall) {
    case ESCAPE_SYSCALL_INIT_MODULE:
        alert.evidence("image_length", static_cast<uint64_t>(attempt.argument));
        break;
    case ESCAPE_SYSCALL_FINIT_MODULE:
        alert.evidence("module_file", name.c_str())
            .evidence("fd", static_cast<int64_t>(attempt.fd))
            .evidence("module_flags", static_cast<uint64_t>(attempt.argument));
        break;
    default:
        alert.evidence("program_name", name.c_str()).evidence("program_type", static_cast<uint64_t>(attempt.argument));
        break;
    }
    alert.emit(host());
}

} // namespace vigil_escape
