// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on opening files for writing:
// injection.proc_mem_write and injection.ld_so_preload_write.
#include <string>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_injection {
namespace {

const char *syscall_name(uint16_t syscall)
{
    switch (syscall) {
    case INJECTION_SYSCALL_OPEN:
        return "open";
    case INJECTION_SYSCALL_OPENAT:
        return "openat";
    case INJECTION_SYSCALL_OPENAT2:
        return "openat2";
    default:
        return "unknown";
    }
}

} // namespace

void InjectionDetector::on_open(const vigil::Event &event, const injection_open &record)
{
    const std::string path(field_text(record.path));
    OpenCall call{record.flags, path};
    auto judgement = judge_open(call, caller_of(event), policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const std::string actor = event.actor_name();

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    alert.event(event)
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("path", path.c_str())
        .evidence("open_flags", static_cast<uint64_t>(record.flags))
        .evidence("access", access_text(record.flags));

    std::string key;
    if (judgement->rule == Rule::proc_mem_write) {
        auto memory = parse_proc_mem_path(path); // judge_open made sure it parses
        uint32_t pid = memory ? memory->pid : 0;
        const auto *target = resolve_target(host(), event, pid);
        alert.summary("%s opened the memory of process %u (%s) for writing: %s", actor.c_str(), pid,
                      target != nullptr && target->exe != nullptr ? target->exe : "an unknown program", path.c_str());
        add_target_evidence(alert, pid, target);
        if (memory && memory->tid) {
            alert.evidence("target_tid", *memory->tid);
        }
        key = caller_target_key(event, pid);
    } else {
        alert.summary("%s opened %s for writing: every dynamically linked program would load what it lists",
                      actor.c_str(), path.c_str());
        key = actor + ":" + path;
    }
    alert.dedup_key(key.c_str());
    alert.emit(host());
}

} // namespace vigil_injection
