// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on opening files: the host-control files
// (escape.release_agent_write, core_pattern_write, sysrq_trigger_write,
// modprobe_write, binfmt_misc_register) and escape.proc_root_access.
#include <string>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_escape {
namespace {

// What writing the file does, for the summary.
const char *control_file_effect(uint32_t control)
{
    switch (control) {
    case ESCAPE_CONTROL_RELEASE_AGENT:
        return "the kernel runs the release agent as root on the host";
    case ESCAPE_CONTROL_NOTIFY_ON_RELEASE:
        return "it makes the kernel run the hierarchy's release agent as root on the host";
    case ESCAPE_CONTROL_CORE_PATTERN:
        return "a piped core_pattern runs as root on the host at the next crash";
    case ESCAPE_CONTROL_SYSRQ_TRIGGER:
        return "it can crash, reboot or freeze the whole node";
    case ESCAPE_CONTROL_MODPROBE:
        return "the kernel runs that program as root on the host for an unknown binary format";
    case ESCAPE_CONTROL_BINFMT_REGISTER:
        return "a registered interpreter runs on the host's behalf for matching files";
    default:
        return "it controls the host";
    }
}

} // namespace

void EscapeDetector::on_control_open(const vigil::Event &event, const escape_control_open &record)
{
    auto judgement = judge_control_open(record.control, record.ret, caller_of(event, record.record_flags), policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const std::string path(field_text(record.path));
    const std::string name(field_text(record.name));
    const std::string parent(field_text(record.parent));
    const std::string actor = event.actor_name();
    const char *file = control_file_name(record.control);
    const std::string key = std::string(file) + ":" + path;

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    if (record.ret >= 0) {
        alert.summary("%s opened the host-control file %s (%s) for writing from a container: %s", actor.c_str(), file,
                      path.c_str(), control_file_effect(record.control));
    } else {
        alert.summary("%s tried to open the host-control file %s (%s) for writing from a container, which failed",
                      actor.c_str(), file, path.c_str());
    }
    alert.event(event)
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("path", path.c_str())
        .evidence("control_file", file)
        .evidence("open_flags", static_cast<uint64_t>(record.flags))
        .evidence("access", access_text(record.flags))
        .evidence_bool("path_truncated", (record.record_flags & ESCAPE_FLAG_PATH_TRUNCATED) != 0)
        .dedup_key(key.c_str());
    add_outcome(alert, record.ret);
    if (record.ret >= 0) {
        // What the kernel says was opened, whatever the path said.
        alert.evidence("opened_name", name.c_str())
            .evidence("opened_directory", parent.c_str())
            .evidence("filesystem_magic", static_cast<uint64_t>(record.fs_magic));
    }
    alert.emit(host());
}

void EscapeDetector::on_root_open(const vigil::Event &event, const escape_root_open &record)
{
    const Caller caller = caller_of(event, record.record_flags);
    const auto *target = host().find_process_in_namespace(event.header().pid_ns, record.target_ns_pid);
    RootTarget known{target != nullptr, target != nullptr ? target->mnt_ns : 0};
    auto judgement = judge_root_open(record.target_ns_pid, known, caller, host_facts_, policy_);
    if (!judgement || !admit(*judgement)) {
        return;
    }
    const auto &info = rule_table.at(judgement->rule);
    const std::string path(field_text(record.path));
    const std::string actor = event.actor_name();
    const bool host_root = known.known && host_facts_.mnt_ns != 0 && known.mnt_ns == host_facts_.mnt_ns;
    const std::string key = std::to_string(event.header().tgid) + "->" + std::to_string(record.target_ns_pid);

    vigil::Alert alert(info.id, judgement->severity);
    alert.attack(info.tactics, info.techniques);
    alert.summary("%s opened %s from a container: the root directory of process %u (%s)%s", actor.c_str(), path.c_str(),
                  record.target_ns_pid,
                  target != nullptr && target->exe != nullptr ? target->exe : "an unknown program",
                  host_root ? ", which is the host's" : "");
    alert.event(event)
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("path", path.c_str())
        .evidence("open_flags", static_cast<uint64_t>(record.flags))
        .evidence("access", access_text(record.flags))
        .evidence("target_pid", record.target_ns_pid)
        .evidence_bool("target_in_host_mount_namespace", host_root)
        .evidence_bool("path_truncated", (record.record_flags & ESCAPE_FLAG_PATH_TRUNCATED) != 0)
        .dedup_key(key.c_str());
    if (target != nullptr) {
        alert.evidence("target_global_pid", target->tgid).evidence("target_mount_namespace", target->mnt_ns);
        if (target->exe != nullptr) {
            alert.evidence("target_exe", target->exe);
        }
    }
    alert.emit(host());
}

} // namespace vigil_escape
