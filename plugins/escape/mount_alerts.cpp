// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on mounts and root changes: escape.mount_block_device,
// mount_procfs, mount_cgroupfs, mount_host_root and root_change_to_host; both
// also complete escape.userns_then_mount.
#include <string>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_escape {

void EscapeDetector::on_mount(const vigil::Event &event, const escape_mount &record)
{
    const std::string source(field_text(record.source));
    const std::string target(field_text(record.target));
    const std::string fstype(field_text(record.fstype));
    const Caller caller = caller_of(event, record.record_flags);
    if (caller.runtime_setup) {
        return;
    }
    const std::string call = std::string(syscall_name(record.syscall)) + "(" + source + ", " + target + ", " +
                             (fstype.empty() ? "-" : fstype) + ") = " + std::to_string(record.ret);
    check_userns_follow_up(event, call.c_str(), record.ret < 0);

    MountCall mount{record.syscall, source, target, fstype, record.mount_flags, record.ret};
    auto judgement = judge_mount(mount, caller, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const auto kind = classify_mount(mount, caller); // judge_mount made sure there is one
    const char *what = kind ? mount_kind_name(*kind) : "something";
    const std::string actor = event.actor_name();
    const std::string key = source + "->" + target + ":" + fstype;

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (record.ret >= 0) {
        alert.summary("%s mounted %s (%s%s%s) on %s from a container", actor.c_str(), what, source.c_str(),
                      fstype.empty() ? "" : ", type ", fstype.c_str(), target.empty() ? "?" : target.c_str());
    } else {
        alert.summary("%s tried to mount %s (%s%s%s) on %s from a container, which failed", actor.c_str(), what,
                      source.c_str(), fstype.empty() ? "" : ", type ", fstype.c_str(),
                      target.empty() ? "?" : target.c_str());
    }
    const char *sequence[] = {call.c_str()};
    alert.event(event)
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("mount_kind", what)
        .evidence("source", source.c_str())
        .evidence("target", target.c_str())
        .evidence("fstype", fstype.c_str())
        .evidence("mount_flags", static_cast<uint64_t>(record.mount_flags))
        .evidence_list("syscall_sequence", sequence, 1)
        .dedup_key(key.c_str());
    add_outcome(alert, record.ret);
    alert.emit(host());
}

void EscapeDetector::on_root_change(const vigil::Event &event, const escape_root_change &record)
{
    const std::string path(field_text(record.path));
    const Caller caller = caller_of(event, record.record_flags);
    if (caller.runtime_setup) {
        return;
    }
    const std::string call =
        std::string(syscall_name(record.syscall)) + "(" + path + ") = " + std::to_string(record.ret);
    check_userns_follow_up(event, call.c_str(), record.ret < 0);

    RootChange change{record.syscall,         record.ret,          path,
                      record.new_root_mnt_ns, record.new_root_dev, record.new_root_is_fs_root != 0};
    auto finding = judge_root_change(change, caller, host_facts_, policy_);
    if (!finding || !admit(finding->judgement)) {
        return;
    }
    const auto &info = rule_table.at(finding->judgement.rule);
    const std::string actor = event.actor_name();
    const char *reason = root_change_reason_name(finding->reason);
    const auto device = kernel_device(record.new_root_dev);
    const std::string device_text = std::to_string(device.major) + ":" + std::to_string(device.minor);
    const std::string key = std::string(syscall_name(record.syscall)) + ":" + path;

    vigil::Alert alert(info.id, finding->judgement.severity);
    alert.attack(info.tactics, info.techniques);
    if (record.ret >= 0) {
        alert.summary("%s changed its root directory with %s to %s from a container: %s", actor.c_str(),
                      syscall_name(record.syscall), path.c_str(), reason);
    } else {
        alert.summary("%s tried to change its root directory with %s to %s (%s) from a container, which failed",
                      actor.c_str(), syscall_name(record.syscall), path.c_str(), reason);
    }
    const char *sequence[] = {call.c_str()};
    alert.event(event)
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("path", path.c_str())
        .evidence("reason", reason)
        .evidence("old_root_mount_namespace", record.old_root_mnt_ns)
        .evidence("new_root_mount_namespace", record.new_root_mnt_ns)
        .evidence("new_root_device", device_text.c_str())
        .evidence_bool("new_root_is_filesystem_top", record.new_root_is_fs_root != 0)
        .evidence("host_mount_namespace", host_facts_.mnt_ns)
        .evidence_list("syscall_sequence", sequence, 1)
        .dedup_key(key.c_str());
    add_outcome(alert, record.ret);
    alert.emit(host());
}

} // namespace vigil_escape
