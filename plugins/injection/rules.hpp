// SPDX-License-Identifier: Apache-2.0
// The injection plugin's rules: their ids, severities and MITRE ATT&CK
// mapping, and the decisions that turn a record into a finding. Pure
// functions of the record's fields and the configuration, so they can be
// tested without a kernel.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <vigil/disposition.hpp>
#include <vigil/plugin_abi.h>
#include <vigil/rule_table.hpp>

#include "allowlist.hpp"

namespace vigil_injection {

enum class Rule {
    ptrace_attach,
    ptrace_write,
    process_vm_writev,
    proc_mem_write,
    memfd_exec,
    shm_exec,
    ld_preload_env,
    ld_so_preload_write,
};
inline constexpr std::size_t rule_count = 8;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "injection.<name>"
    vigil_severity severity;
    vigil_severity failed_severity; // when the call is known to have failed
    std::span<const vigil_attack_ref> tactics;
    std::span<const vigil_attack_ref> techniques;
};

// Every rule's row, in the order of the enum: rule_table.at(rule), rule_table.find(id).
extern const vigil::RuleTable<RuleInfo, rule_count> rule_table;

// Every tactic and technique some rule can carry, for the descriptor.
std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

// What the configuration says about findings.
struct Policy {
    GlobList allowed_tracers;                       // exe paths that may ptrace, write process memory
    GlobList allowed_preload_libraries;             // libraries LD_PRELOAD may name
    GlobList allowed_memfd_names;                   // memfd_create() names host processes may exec
    vigil::RuleSwitches<Rule, rule_count> switches; // disabled_rules

    bool enabled(Rule rule) const { return switches.enabled(rule); }
};

using vigil::Disposition;
using Judgement = vigil::Judgement<Rule>;

// The caller of a syscall, as the rules see it.
struct Caller {
    uint32_t ns_tgid = 0; // its pid in its own pid namespace
    std::string_view exe; // "" when unknown
};

// A finished ptrace(). The kernel only reports watched requests on other processes.
struct PtraceCall {
    int64_t request = 0;
    int64_t ret = 0;
    uint32_t target_ns_pid = 0;
};
std::optional<Judgement> judge_ptrace(const PtraceCall &call, const Caller &caller, const Policy &policy);

// A finished process_vm_writev().
struct VmWritevCall {
    int64_t ret = 0;
    uint32_t target_ns_pid = 0;
};
std::optional<Judgement> judge_vm_writev(const VmWritevCall &call, const Caller &caller, const Policy &policy);

// An open about to happen (its outcome is not known).
struct OpenCall {
    uint64_t flags = 0;
    std::string_view path;
};
std::optional<Judgement> judge_open(const OpenCall &call, const Caller &caller, const Policy &policy);

// A successful exec the kernel found worth a record.
struct ExecImage {
    uint32_t flags = 0;        // enum injection_exec_flags
    std::string_view exe_name; // the executable's file name
    std::string_view filename; // the path exec was given
    std::string_view ld_preload;
    bool in_container = false; // the memfd allow-list only ever excuses host processes
};
// Up to one judgement per rule an exec can break (memfd, /dev/shm, LD_PRELOAD).
struct ExecJudgements {
    std::array<Judgement, 3> items{};
    std::size_t count = 0;
    std::span<const Judgement> all() const { return std::span(items).first(count); }
};
ExecJudgements judge_exec(const ExecImage &image, const Policy &policy);

} // namespace vigil_injection
