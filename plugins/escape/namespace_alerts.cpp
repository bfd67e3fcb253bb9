// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on namespaces: escape.join_host_namespace,
// escape.join_namespace, escape.host_mount_namespace_exec, and the user
// namespace sequence escape.userns_then_mount.
#include <array>
#include <string>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_escape {
namespace {

std::string joined_names(const HostNamespaces &joined)
{
    std::string names;
    for (auto [flag, name] :
         {std::pair{joined.mnt, "mnt"}, std::pair{joined.pid, "pid"}, std::pair{joined.net, "net"}}) {
        if (flag) {
            names += names.empty() ? name : std::string(",") + name;
        }
    }
    return names;
}

} // namespace

void EscapeDetector::on_setns(const vigil::Event &event, const escape_namespace_change &record)
{
    const Caller caller = caller_of(event, record.record_flags);
    NamespaceChange change{record.ret, record.flags, record.target_inum, record.before, record.after};
    auto judgement = judge_setns(change, caller, host_facts_, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    std::array<char, 160> flag_storage{};
    const std::string nstype(namespace_flag_names(record.flags, flag_storage));
    const std::string joined = joined_names(host_namespaces_joined(change, host_facts_));
    const std::string before = namespaces_text(record.before);
    const std::string after = namespaces_text(record.after);
    const std::string actor = event.actor_name();
    const std::string call =
        "setns(fd " + std::to_string(record.fd) + ", " + nstype + ") = " + std::to_string(record.ret);
    const std::string key = "setns:" + std::to_string(event.header().tgid) + ":" + std::to_string(record.after.mnt);

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (judgement->rule == Rule::join_host_namespace) {
        alert.summary(record.ret >= 0 ? "%s joined the host's %s namespace from a container with setns"
                                      : "%s tried to join the host's %s namespace from a container with setns, "
                                        "which failed",
                      actor.c_str(), joined.c_str());
    } else {
        alert.summary(record.ret >= 0 ? "%s joined another process's mount or pid namespace from a container "
                                        "with setns (mnt %u -> %u)"
                                      : "%s tried to join another process's mount or pid namespace from a "
                                        "container with setns (mnt %u -> %u), which failed",
                      actor.c_str(), record.before.mnt, record.after.mnt);
    }
    const char *sequence[] = {call.c_str()};
    alert.event(event)
        .evidence("syscall", "setns")
        .evidence("nstype", nstype.c_str())
        .evidence("fd", static_cast<int64_t>(record.fd))
        .evidence("target_namespace", record.target_inum)
        .evidence("host_namespaces_joined", joined.c_str())
        .evidence("namespaces_before", before.c_str())
        .evidence("namespaces_after", after.c_str())
        .evidence("mount_namespace_before", record.before.mnt)
        .evidence("mount_namespace_after", record.after.mnt)
        .evidence("host_mount_namespace", host_facts_.mnt_ns)
        .evidence_list("syscall_sequence", sequence, 1)
        .dedup_key(key.c_str());
    add_outcome(alert, record.ret);
    alert.emit(host());
}

void EscapeDetector::on_unshare(const vigil::Event &event, const escape_namespace_change &record)
{
    if (caller_of(event, record.record_flags).runtime_setup || record.ret < 0) {
        return;
    }
    userns_starts_.remember(UsernsStart{event.header().tgid, event.header().timestamp_ns, record.flags,
                                        record.before.user, record.after.user});
}

void EscapeDetector::check_userns_follow_up(const vigil::Event &event, const char *call, bool failed)
{
    const auto &header = event.header();
    auto start = userns_starts_.find(header.tgid, header.timestamp_ns, policy_.userns_window_ns);
    if (!start) {
        return;
    }
    auto judgement = judge_userns_follow_up(failed, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    std::array<char, 160> flag_storage{};
    const std::string unshare = "unshare(" + std::string(namespace_flag_names(start->flags, flag_storage)) + ") = 0";
    const std::string actor = event.actor_name();
    const uint64_t elapsed_ms = (header.timestamp_ns - start->time_ns) / 1'000'000;
    const std::string key = "userns:" + std::to_string(header.tgid);

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    alert.summary("%s created a user namespace and %llu ms later made a privileged call from a container: %s",
                  actor.c_str(), static_cast<unsigned long long>(elapsed_ms), call);
    const char *sequence[] = {unshare.c_str(), call};
    alert.event(event)
        .evidence_list("syscall_sequence", sequence, 2)
        .evidence("user_namespace_before", start->user_ns_before)
        .evidence("user_namespace_after", start->user_ns_after)
        .evidence("elapsed_ms", elapsed_ms)
        .evidence_bool("succeeded", !failed)
        .dedup_key(key.c_str());
    alert.emit(host());
}

void EscapeDetector::on_exec(const vigil::Event &event, const vigil_process_exec &record)
{
    const bool in_host_mount_namespace = host_facts_.mnt_ns != 0 && record.header.mnt_ns == host_facts_.mnt_ns;
    if (cgroups_in_setup_.exec_is_runtime(record.header.cgroup_id, in_host_mount_namespace)) {
        runtime_setup_.add();
        return;
    }
    auto judgement = judge_exec_namespace(event.in_container(), record.header.mnt_ns, host_facts_, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const std::string filename(field_text(record.filename));
    const std::string key = "exec:" + std::to_string(record.header.tgid);

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    alert.summary("%s was executed by a container's process in the host's mount namespace: it sees and runs the "
                  "host's files",
                  filename.c_str());
    alert.event(event)
        .evidence("filename", filename.c_str())
        .evidence("mount_namespace", record.header.mnt_ns)
        .evidence("host_mount_namespace", host_facts_.mnt_ns)
        .evidence("pid_namespace", record.header.pid_ns)
        .dedup_key(key.c_str());
    alert.emit(host());
}

} // namespace vigil_escape
