// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <vigil/attack.hpp>

#include "injection_events.h"
#include "paths.hpp"
#include "ptrace_requests.hpp"

namespace vigil_injection {
namespace {

namespace attack = vigil::attack;

// Injecting into another process both hides the code (defense evasion) and,
// into a more privileged process, raises privileges.
constexpr std::array injection_tactics{attack::TA0005, attack::TA0004};
// A hijacked dynamic linker persists, runs in other programs' privileges, and hides.
constexpr std::array linker_tactics{attack::TA0003, attack::TA0004, attack::TA0005};
constexpr std::array evasion_tactics{attack::TA0005};

constexpr std::array ptrace_techniques{attack::T1055_008};
constexpr std::array process_memory_techniques{attack::T1055};
constexpr std::array proc_memory_techniques{attack::T1055_009};
constexpr std::array reflective_techniques{attack::T1620};
constexpr std::array linker_techniques{attack::T1574_006};

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::ptrace_attach, "injection.ptrace_attach", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_MEDIUM, injection_tactics,
     ptrace_techniques},
    {Rule::ptrace_write, "injection.ptrace_write", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_MEDIUM, injection_tactics,
     ptrace_techniques},
    {Rule::process_vm_writev, "injection.process_vm_writev", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_MEDIUM,
     injection_tactics, process_memory_techniques},
    {Rule::proc_mem_write, "injection.proc_mem_write", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_CRITICAL,
     injection_tactics, proc_memory_techniques},
    {Rule::memfd_exec, "injection.memfd_exec", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH, evasion_tactics,
     reflective_techniques},
    {Rule::shm_exec, "injection.shm_exec", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH, evasion_tactics,
     reflective_techniques},
    {Rule::ld_preload_env, "injection.ld_preload_env", VIGIL_SEVERITY_MEDIUM, VIGIL_SEVERITY_MEDIUM, linker_tactics,
     linker_techniques},
    {Rule::ld_so_preload_write, "injection.ld_so_preload_write", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH,
     linker_tactics, linker_techniques},
}};

constexpr std::array every_tactic{attack::TA0003, attack::TA0004, attack::TA0005};
constexpr std::array every_technique{attack::T1055, attack::T1055_008, attack::T1055_009, attack::T1574_006,
                                     attack::T1620};

// The judgement of a finding of @rule: switched off, allowed, or an alert of the severity the outcome calls for.
Judgement judge(Rule rule, bool failed, bool allowed, const Policy &policy)
{
    const auto &info = rule_table.at(rule);
    auto disposition = vigil::disposition_of(policy.enabled(rule), allowed);
    return Judgement{rule, failed ? info.failed_severity : info.severity, disposition};
}

// A target naming the caller itself is no injection; 0 names nothing.
bool names_other_process(uint32_t target, const Caller &caller)
{
    return target != 0 && target != caller.ns_tgid;
}

bool tracer_allowed(const Caller &caller, const Policy &policy)
{
    return !caller.exe.empty() && policy.allowed_tracers.matches(caller.exe);
}

} // namespace

constexpr vigil::RuleTable<RuleInfo, rule_count> rule_table{rules};
static_assert(rule_table.in_enum_order(), "the rows must follow the order of enum Rule");

std::span<const vigil_attack_ref> all_tactics()
{
    return every_tactic;
}

std::span<const vigil_attack_ref> all_techniques()
{
    return every_technique;
}

std::optional<Judgement> judge_ptrace(const PtraceCall &call, const Caller &caller, const Policy &policy)
{
    if (!names_other_process(call.target_ns_pid, caller)) {
        return std::nullopt;
    }
    Rule rule;
    switch (classify_ptrace_request(call.request)) {
    case PtraceAction::attach:
        rule = Rule::ptrace_attach;
        break;
    case PtraceAction::write:
        rule = Rule::ptrace_write;
        break;
    default:
        return std::nullopt;
    }
    return judge(rule, call.ret < 0, tracer_allowed(caller, policy), policy);
}

std::optional<Judgement> judge_vm_writev(const VmWritevCall &call, const Caller &caller, const Policy &policy)
{
    if (!names_other_process(call.target_ns_pid, caller)) {
        return std::nullopt;
    }
    return judge(Rule::process_vm_writev, call.ret < 0, tracer_allowed(caller, policy), policy);
}

std::optional<Judgement> judge_open(const OpenCall &call, const Caller &caller, const Policy &policy)
{
    if (!opens_for_writing(call.flags)) {
        return std::nullopt;
    }
    if (is_ld_so_preload_path(call.path)) {
        return judge(Rule::ld_so_preload_write, false, false, policy);
    }
    auto memory = parse_proc_mem_path(call.path);
    if (!memory || !names_other_process(memory->pid, caller)) {
        return std::nullopt;
    }
    return judge(Rule::proc_mem_write, false, tracer_allowed(caller, policy), policy);
}

ExecJudgements judge_exec(const ExecImage &image, const Policy &policy)
{
    ExecJudgements judgements;
    auto add = [&](const Judgement &judgement) { judgements.items[judgements.count++] = judgement; };

    if ((image.flags & INJECTION_EXEC_MEMFD) != 0) {
        // The runtime's own re-exec happens on the host, before the container exists; inside a
        // container a memfd named like the runtime's is an attacker's disguise, not the runtime.
        auto name = memfd_name(image.exe_name).value_or(image.exe_name);
        bool allowed = !image.in_container && policy.allowed_memfd_names.matches(name);
        add(judge(Rule::memfd_exec, false, allowed, policy));
    }
    if ((image.flags & INJECTION_EXEC_DEV_SHM) != 0) {
        add(judge(Rule::shm_exec, false, false, policy));
    }
    if ((image.flags & INJECTION_EXEC_LD_PRELOAD) != 0) {
        // A repeated LD_PRELOAD is suspect whatever it names: loaders disagree on which one they use.
        // A truncated one may name more than was seen.
        bool repeated = (image.flags & INJECTION_EXEC_PRELOAD_REPEATED) != 0;
        bool truncated = (image.flags & INJECTION_EXEC_PRELOAD_TRUNCATED) != 0;
        bool preloads = !preload_libraries(image.ld_preload).empty();
        if (repeated || preloads) {
            bool allowed =
                !repeated && !truncated && preload_allowed(image.ld_preload, policy.allowed_preload_libraries);
            add(judge(Rule::ld_preload_env, false, allowed, policy));
        }
    }
    return judgements;
}

} // namespace vigil_injection
