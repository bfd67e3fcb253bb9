// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <algorithm>
#include <cstring>

#include <vigil/attack.hpp>

namespace vigil_escape {
namespace {

namespace attack = vigil::attack;

constexpr std::array escalation_tactics{attack::TA0004};
// A kernel module both persists and runs with the kernel's privileges.
constexpr std::array module_tactics{attack::TA0003, attack::TA0004};
constexpr std::array escape_techniques{attack::T1611};
constexpr std::array module_techniques{attack::T1547_006, attack::T1611};

constexpr auto CRITICAL = VIGIL_SEVERITY_CRITICAL;
constexpr auto HIGH = VIGIL_SEVERITY_HIGH;
constexpr auto MEDIUM = VIGIL_SEVERITY_MEDIUM;
constexpr auto LOW = VIGIL_SEVERITY_LOW;

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::release_agent_write, "escape.release_agent_write", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::core_pattern_write, "escape.core_pattern_write", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::sysrq_trigger_write, "escape.sysrq_trigger_write", HIGH, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::modprobe_write, "escape.modprobe_write", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::binfmt_misc_register, "escape.binfmt_misc_register", CRITICAL, MEDIUM, escalation_tactics,
     escape_techniques},
    {Rule::mount_block_device, "escape.mount_block_device", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::mount_procfs, "escape.mount_procfs", HIGH, LOW, escalation_tactics, escape_techniques},
    {Rule::mount_cgroupfs, "escape.mount_cgroupfs", HIGH, LOW, escalation_tactics, escape_techniques},
    {Rule::mount_host_root, "escape.mount_host_root", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::root_change_to_host, "escape.root_change_to_host", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::join_host_namespace, "escape.join_host_namespace", CRITICAL, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::join_namespace, "escape.join_namespace", HIGH, LOW, escalation_tactics, escape_techniques},
    {Rule::host_mount_namespace_exec, "escape.host_mount_namespace_exec", CRITICAL, CRITICAL, escalation_tactics,
     escape_techniques},
    {Rule::proc_root_access, "escape.proc_root_access", HIGH, HIGH, escalation_tactics, escape_techniques},
    {Rule::kernel_module_load, "escape.kernel_module_load", CRITICAL, HIGH, module_tactics, module_techniques},
    {Rule::bpf_program_load, "escape.bpf_program_load", HIGH, MEDIUM, escalation_tactics, escape_techniques},
    {Rule::userns_then_mount, "escape.userns_then_mount", HIGH, MEDIUM, escalation_tactics, escape_techniques},
}};

constexpr std::array every_tactic{attack::TA0003, attack::TA0004};
constexpr std::array every_technique{attack::T1547_006, attack::T1611};

// mount(2) flags (the same on every architecture).
constexpr uint64_t MS_REMOUNT = 32;
constexpr uint64_t MS_BIND = 4096;
constexpr uint64_t MS_MOVE = 8192;
constexpr uint64_t MS_PROPAGATION = (1u << 17) | (1u << 18) | (1u << 19) | (1u << 20); // unbindable ... shared

Judgement judge(Rule rule, bool failed, bool allowed, const Policy &policy, bool raise_severity = false)
{
    const auto &info = rule_table.at(rule);
    auto disposition = vigil::disposition_of(policy.enabled(rule), allowed);
    auto severity = failed ? info.failed_severity : info.severity;
    if (raise_severity && !failed) {
        severity = CRITICAL;
    }
    return Judgement{rule, severity, disposition};
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> candidates)
{
    return std::find(candidates.begin(), candidates.end(), value) != candidates.end();
}

// Filesystems that live on a block device.
bool disk_filesystem(std::string_view fstype)
{
    return one_of(fstype, {"ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "msdos", "exfat", "ntfs", "ntfs3", "f2fs",
                           "jfs", "reiserfs", "iso9660", "udf", "squashfs", "erofs", "hfsplus"});
}

// Filesystems with no device behind them, whatever their source string says.
bool virtual_filesystem(std::string_view fstype)
{
    return one_of(fstype, {"tmpfs",  "ramfs",     "devtmpfs", "devpts",     "mqueue",  "sysfs",   "proc",
                           "cgroup", "cgroup2",   "overlay",  "securityfs", "debugfs", "tracefs", "binfmt_misc",
                           "bpf",    "hugetlbfs", "configfs", "fusectl",    "pstore",  "nsfs",    "autofs"});
}

// A "/proc/<pid>/root" path naming another process than the caller.
bool other_process_root(std::string_view path, const Caller &caller)
{
    auto pid = proc_root_pid(path);
    return pid && *pid != caller.ns_tgid;
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

// ---- host-control files --------------------------------------------------

std::optional<Judgement> judge_control_open(uint32_t control, int64_t ret, const Caller &caller, const Policy &policy)
{
    if (caller.runtime_setup) {
        return std::nullopt;
    }
    Rule rule;
    switch (control) {
    case ESCAPE_CONTROL_RELEASE_AGENT:
    case ESCAPE_CONTROL_NOTIFY_ON_RELEASE:
        rule = Rule::release_agent_write;
        break;
    case ESCAPE_CONTROL_CORE_PATTERN:
        rule = Rule::core_pattern_write;
        break;
    case ESCAPE_CONTROL_SYSRQ_TRIGGER:
        rule = Rule::sysrq_trigger_write;
        break;
    case ESCAPE_CONTROL_MODPROBE:
        rule = Rule::modprobe_write;
        break;
    case ESCAPE_CONTROL_BINFMT_REGISTER:
        rule = Rule::binfmt_misc_register;
        break;
    default:
        return std::nullopt;
    }
    return judge(rule, ret < 0, false, policy);
}

const char *control_file_name(uint32_t control)
{
    switch (control) {
    case ESCAPE_CONTROL_RELEASE_AGENT:
        return "release_agent";
    case ESCAPE_CONTROL_NOTIFY_ON_RELEASE:
        return "notify_on_release";
    case ESCAPE_CONTROL_CORE_PATTERN:
        return "core_pattern";
    case ESCAPE_CONTROL_SYSRQ_TRIGGER:
        return "sysrq-trigger";
    case ESCAPE_CONTROL_MODPROBE:
        return "modprobe";
    case ESCAPE_CONTROL_BINFMT_REGISTER:
        return "binfmt_misc register";
    default:
        return "unknown";
    }
}

// ---- mounts and root changes ---------------------------------------------

std::optional<MountKind> classify_mount(const MountCall &call, const Caller &caller)
{
    if (call.syscall == ESCAPE_SYSCALL_FSOPEN) {
        // fsopen names only the type; the source comes later through fsconfig.
        if (call.fstype == "proc") {
            return MountKind::procfs;
        }
        if (call.fstype == "cgroup" || call.fstype == "cgroup2") {
            return MountKind::cgroupfs;
        }
        if (disk_filesystem(call.fstype)) {
            return MountKind::block_device;
        }
        return std::nullopt;
    }
    if ((call.flags & MS_REMOUNT) != 0) {
        return std::nullopt;
    }
    if ((call.flags & (MS_BIND | MS_MOVE)) != 0) {
        if (other_process_root(call.source, caller)) {
            return MountKind::host_root;
        }
        return std::nullopt;
    }
    if ((call.flags & MS_PROPAGATION) != 0 && call.fstype.empty()) {
        return std::nullopt; // a propagation change of an existing mount
    }
    if (call.fstype == "proc") {
        return MountKind::procfs;
    }
    if (call.fstype == "cgroup" || call.fstype == "cgroup2") {
        return MountKind::cgroupfs;
    }
    if (disk_filesystem(call.fstype) || (call.source.starts_with("/dev/") && !virtual_filesystem(call.fstype))) {
        return MountKind::block_device;
    }
    return std::nullopt;
}

const char *mount_kind_name(MountKind kind)
{
    switch (kind) {
    case MountKind::block_device:
        return "block device";
    case MountKind::procfs:
        return "procfs";
    case MountKind::cgroupfs:
        return "cgroupfs";
    case MountKind::host_root:
        return "another process's root";
    }
    return "unknown";
}

std::optional<Judgement> judge_mount(const MountCall &call, const Caller &caller, const Policy &policy)
{
    if (caller.runtime_setup) {
        return std::nullopt;
    }
    auto kind = classify_mount(call, caller);
    if (!kind) {
        return std::nullopt;
    }
    Rule rule = Rule::mount_block_device;
    switch (*kind) {
    case MountKind::block_device:
        rule = Rule::mount_block_device;
        break;
    case MountKind::procfs:
        rule = Rule::mount_procfs;
        break;
    case MountKind::cgroupfs:
        rule = Rule::mount_cgroupfs;
        break;
    case MountKind::host_root:
        rule = Rule::mount_host_root;
        break;
    }
    bool allowed = !caller.exe.empty() && policy.allowed_mount_executables.matches(caller.exe);
    return judge(rule, call.ret < 0, allowed, policy);
}

const char *root_change_reason_name(RootChangeReason reason)
{
    switch (reason) {
    case RootChangeReason::host_mount_namespace:
        return "a mount of the host's mount namespace";
    case RootChangeReason::host_root_filesystem:
        return "the top of the host's root filesystem";
    case RootChangeReason::other_process_root:
        return "another process's root";
    }
    return "unknown";
}

std::optional<RootChangeFinding> judge_root_change(const RootChange &change, const Caller &caller,
                                                   const HostFacts &host, const Policy &policy)
{
    if (caller.runtime_setup) {
        return std::nullopt;
    }
    const bool failed = change.ret < 0;
    const bool allowed = !caller.exe.empty() && policy.allowed_mount_executables.matches(caller.exe);
    std::optional<RootChangeReason> reason;
    if (!failed && host.mnt_ns != 0 && change.new_root_mnt_ns == host.mnt_ns && caller.mnt_ns != host.mnt_ns) {
        reason = RootChangeReason::host_mount_namespace;
    } else if (!failed && change.new_root_is_fs_root && host.root_device &&
               kernel_device(change.new_root_dev) == *host.root_device) {
        reason = RootChangeReason::host_root_filesystem;
    } else if (other_process_root(change.path, caller)) {
        reason = RootChangeReason::other_process_root;
    }
    if (!reason) {
        return std::nullopt;
    }
    auto judgement = judge(Rule::root_change_to_host, failed, allowed, policy);
    if (!failed && *reason == RootChangeReason::other_process_root) {
        judgement.severity = HIGH; // another container's root, as far as the kernel showed
    }
    return RootChangeFinding{judgement, *reason};
}

// ---- namespaces ------------------------------------------------------------

HostNamespaces host_namespaces_joined(const NamespaceChange &change, const HostFacts &host)
{
    HostNamespaces joined;
    if (change.ret < 0) {
        // Nothing moved: where the fd led is all there is.
        if (change.target_inum != 0) {
            joined.mnt = change.target_inum == host.mnt_ns;
            joined.pid = change.target_inum == host.pid_ns;
            joined.net = change.target_inum == host.net_ns;
        }
        return joined;
    }
    joined.mnt = host.mnt_ns != 0 && change.after.mnt == host.mnt_ns && change.before.mnt != host.mnt_ns;
    joined.pid = host.pid_ns != 0 && change.after.pid_for_children == host.pid_ns &&
                 change.before.pid_for_children != host.pid_ns;
    joined.net = host.net_ns != 0 && change.after.net == host.net_ns && change.before.net != host.net_ns;
    return joined;
}

std::optional<Judgement> judge_setns(const NamespaceChange &change, const Caller &caller, const HostFacts &host,
                                     const Policy &policy)
{
    if (caller.runtime_setup) {
        return std::nullopt;
    }
    // From the host's mount namespace into another: entering a container (the
    // runtime's exec, an operator's nsenter), not leaving one.
    if (host.mnt_ns != 0 && change.before.mnt == host.mnt_ns) {
        return std::nullopt;
    }
    const bool failed = change.ret < 0;
    if (host_namespaces_joined(change, host).any()) {
        return judge(Rule::join_host_namespace, failed, false, policy);
    }
    constexpr uint64_t CLONE_NEWNS = 0x00020000;
    constexpr uint64_t CLONE_NEWPID = 0x20000000;
    bool moved = failed ? (change.nstype & (CLONE_NEWNS | CLONE_NEWPID)) != 0
                        : change.after.mnt != change.before.mnt ||
                              change.after.pid_for_children != change.before.pid_for_children;
    if (!moved) {
        return std::nullopt;
    }
    return judge(Rule::join_namespace, failed, false, policy);
}

std::string_view namespace_flag_names(uint64_t flags, std::span<char> storage)
{
    static constexpr std::pair<uint64_t, const char *> names[] = {
        {0x00020000, "CLONE_NEWNS"},  {0x02000000, "CLONE_NEWCGROUP"}, {0x04000000, "CLONE_NEWUTS"},
        {0x08000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},   {0x20000000, "CLONE_NEWPID"},
        {0x40000000, "CLONE_NEWNET"}, {0x00000080, "CLONE_NEWTIME"},
    };
    std::size_t used = 0;
    auto append = [&](std::string_view text) {
        auto room = storage.size() > used + 1 ? storage.size() - used - 1 : 0;
        auto count = std::min(room, text.size());
        std::memcpy(storage.data() + used, text.data(), count);
        used += count;
    };
    for (const auto &[bit, name] : names) {
        if ((flags & bit) != 0) {
            if (used > 0) {
                append("|");
            }
            append(name);
        }
    }
    if (used == 0) {
        append("0");
    }
    storage[used] = '\0';
    return {storage.data(), used};
}

std::optional<Judgement> judge_exec_namespace(bool in_container, uint32_t mnt_ns, const HostFacts &host,
                                              const Policy &policy)
{
    if (!in_container || host.mnt_ns == 0 || mnt_ns != host.mnt_ns) {
        return std::nullopt;
    }
    return judge(Rule::host_mount_namespace_exec, false, false, policy);
}

// ---- other processes' roots ----------------------------------------------

std::optional<Judgement> judge_root_open(uint32_t target_ns_pid, const RootTarget &target, const Caller &caller,
                                         const HostFacts &host, const Policy &policy)
{
    if (caller.runtime_setup || target_ns_pid == 0 || target_ns_pid == caller.ns_tgid) {
        return std::nullopt;
    }
    // A process of the caller's own mount namespace has the caller's root.
    if (target.known && target.mnt_ns == caller.mnt_ns) {
        return std::nullopt;
    }
    bool host_root = target.known && host.mnt_ns != 0 && target.mnt_ns == host.mnt_ns;
    return judge(Rule::proc_root_access, false, false, policy, host_root);
}

// ---- code loaded into the kernel -----------------------------------------

std::optional<Judgement> judge_kernel_load(uint16_t syscall, bool known_failed, const Caller &caller,
                                           const Policy &policy)
{
    if (caller.runtime_setup) {
        return std::nullopt;
    }
    switch (syscall) {
    case ESCAPE_SYSCALL_INIT_MODULE:
    case ESCAPE_SYSCALL_FINIT_MODULE:
        return judge(Rule::kernel_module_load, known_failed, false, policy);
    case ESCAPE_SYSCALL_BPF: {
        bool allowed = !caller.exe.empty() && policy.allowed_bpf_executables.matches(caller.exe);
        return judge(Rule::bpf_program_load, known_failed, allowed, policy);
    }
    default:
        return std::nullopt;
    }
}

std::optional<Judgement> judge_userns_follow_up(bool follow_up_failed, const Policy &policy)
{
    return judge(Rule::userns_then_mount, follow_up_failed, false, policy);
}

} // namespace vigil_escape
