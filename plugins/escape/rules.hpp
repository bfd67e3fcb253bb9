// SPDX-License-Identifier: Apache-2.0
// The escape plugin's rules: their ids, severities and MITRE ATT&CK mapping,
// and the decisions that turn a record into a finding. Pure functions of the
// record's fields, the node's facts and the configuration, so they can be
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

#include "escape_events.h"
#include "paths.hpp"
#include <vigil/glob_list.hpp>

namespace vigil_escape {

enum class Rule {
    release_agent_write,
    core_pattern_write,
    sysrq_trigger_write,
    modprobe_write,
    binfmt_misc_register,
    mount_block_device,
    mount_procfs,
    mount_cgroupfs,
    mount_host_root,
    root_change_to_host,
    join_host_namespace,
    join_namespace,
    host_mount_namespace_exec,
    proc_root_access,
    kernel_module_load,
    bpf_program_load,
    userns_then_mount,
};
inline constexpr std::size_t rule_count = 17;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "escape.<name>"
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
using vigil::GlobList; // '*' also matches '/'

struct Policy {
    GlobList allowed_mount_executables; // may mount, chroot and pivot_root in containers
    GlobList allowed_bpf_executables;   // may load BPF programs from containers
    uint64_t userns_window_ns = 10'000'000'000;
    vigil::RuleSwitches<Rule, rule_count> switches; // disabled_rules
    bool module_attempts_on_every_syscall = false;

    bool enabled(Rule rule) const { return switches.enabled(rule); }
};

using vigil::Disposition;
using Judgement = vigil::Judgement<Rule>;

// The node, as the rules need to know it.
struct HostFacts {
    uint32_t mnt_ns = 0; // 0 when unknown
    uint32_t pid_ns = 0;
    uint32_t net_ns = 0;
    std::optional<Device> root_device; // the filesystem of the host's "/"
    bool loads_modules = true;         // false: a kernel built without module support (no /proc/modules)
};

// The acting process, as the rules see it.
struct Caller {
    uint32_t ns_tgid = 0;       // its pid in its own pid namespace
    uint32_t mnt_ns = 0;        // its mount namespace when the record was made
    std::string_view exe;       // "" when unknown
    bool runtime_setup = false; // ESCAPE_FLAG_RUNTIME_SETUP: the runtime preparing the container
};

// ---- host-control files --------------------------------------------------

// A finished open for writing of the host-control file @control (enum escape_control_file).
std::optional<Judgement> judge_control_open(uint32_t control, int64_t ret, const Caller &caller, const Policy &policy);
// "release_agent", "core_pattern", ... for the evidence.
const char *control_file_name(uint32_t control);

// ---- mounts and root changes ---------------------------------------------

// What a mount brings into the container, if it is one the rules care about.
enum class MountKind { block_device, procfs, cgroupfs, host_root };
struct MountCall {
    uint16_t syscall = ESCAPE_SYSCALL_MOUNT;
    std::string_view source;
    std::string_view target;
    std::string_view fstype;
    uint64_t flags = 0;
    int64_t ret = 0;
};
std::optional<MountKind> classify_mount(const MountCall &call, const Caller &caller);
const char *mount_kind_name(MountKind kind);
std::optional<Judgement> judge_mount(const MountCall &call, const Caller &caller, const Policy &policy);

struct RootChange {
    uint16_t syscall = ESCAPE_SYSCALL_CHROOT;
    int64_t ret = 0;
    std::string_view path;
    uint32_t new_root_mnt_ns = 0;
    uint32_t new_root_dev = 0;
    bool new_root_is_fs_root = false;
};
// Why a root change leads to the host, if it does.
enum class RootChangeReason { host_mount_namespace, host_root_filesystem, other_process_root };
const char *root_change_reason_name(RootChangeReason reason);
struct RootChangeFinding {
    Judgement judgement;
    RootChangeReason reason;
};
std::optional<RootChangeFinding> judge_root_change(const RootChange &change, const Caller &caller,
                                                   const HostFacts &host, const Policy &policy);

// ---- namespaces ------------------------------------------------------------

struct NamespaceChange {
    int64_t ret = 0;
    uint64_t nstype = 0;
    uint32_t target_inum = 0; // the nsfs file's namespace, 0 for a pidfd or unknown
    escape_namespaces before{};
    escape_namespaces after{};
};
// The namespaces a setns moved the caller into that are the host's: "mnt", "pid", "net".
struct HostNamespaces {
    bool mnt = false;
    bool pid = false;
    bool net = false;
    bool any() const { return mnt || pid || net; }
};
HostNamespaces host_namespaces_joined(const NamespaceChange &change, const HostFacts &host);
std::optional<Judgement> judge_setns(const NamespaceChange &change, const Caller &caller, const HostFacts &host,
                                     const Policy &policy);
// CLONE_NEWNS|CLONE_NEWPID|... as "CLONE_NEWNS|CLONE_NEWPID", or "0".
std::string_view namespace_flag_names(uint64_t flags, std::span<char> storage);

// A process of a container that exec'd while in the host's mount namespace.
std::optional<Judgement> judge_exec_namespace(bool in_container, uint32_t mnt_ns, const HostFacts &host,
                                              const Policy &policy);

// ---- other processes' roots ----------------------------------------------

// What the sensor knows of the process whose root was opened.
struct RootTarget {
    bool known = false;
    uint32_t mnt_ns = 0;
};
std::optional<Judgement> judge_root_open(uint32_t target_ns_pid, const RootTarget &target, const Caller &caller,
                                         const HostFacts &host, const Policy &policy);

// ---- code loaded into the kernel -----------------------------------------

// @known_failed: the exit was seen and returned an error.
std::optional<Judgement> judge_kernel_load(uint16_t syscall, bool known_failed, const Caller &caller,
                                           const Policy &policy);

// ---- a user namespace, then privileged work -------------------------------

std::optional<Judgement> judge_userns_follow_up(bool follow_up_failed, const Policy &policy);

} // namespace vigil_escape
