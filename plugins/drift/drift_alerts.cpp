// SPDX-License-Identifier: Apache-2.0
#include "drift_alerts.hpp"

#include <vigil/abi_support.hpp>
#include <vigil/alert.hpp>

#include "profile/behaviour.hpp"
#include "rules.hpp"

namespace vigil_drift {
namespace {

constexpr uint64_t ns_per_second = 1'000'000'000ull;

// "3d4h", "2h5m", "40s": how long a profile learned, for a summary.
std::string duration_text(uint64_t ns)
{
    auto seconds = ns / ns_per_second;
    auto days = seconds / 86400;
    auto hours = seconds % 86400 / 3600;
    auto minutes = seconds % 3600 / 60;
    if (days > 0) {
        return std::to_string(days) + "d" + std::to_string(hours) + "h";
    }
    if (hours > 0) {
        return std::to_string(hours) + "h" + std::to_string(minutes) + "m";
    }
    if (minutes > 0) {
        return std::to_string(minutes) + "m" + std::to_string(seconds % 60) + "s";
    }
    return std::to_string(seconds) + "s";
}

const char *class_phrase(BehaviourClass behaviour)
{
    switch (behaviour) {
    case BehaviourClass::executables:
        return "ran";
    case BehaviourClass::files:
        return "opened";
    case BehaviourClass::connections:
        return "connected to";
    case BehaviourClass::listening:
        return "listened on";
    case BehaviourClass::dns:
        return "looked up";
    }
    return "did";
}

// The alert keeps pointers until it is emitted: @key_text must outlive it.
void add_profile_evidence(vigil::Alert &alert, const WorkloadIdentity &identity, const std::string &key_text)
{
    alert.evidence("profile", key_text.c_str());
    alert.evidence("profile_key_source", identity.key.source.c_str());
    alert.evidence("profile_version", identity.version.c_str());
}

} // namespace

void raise_drift_alert(const vigil::Host &host, const DriftFinding &finding, const vigil::Event *event,
                       uint32_t subject_tgid)
{
    const auto &info = rule_table.at(finding.noticed.rule);
    auto behaviour = finding.noticed.observation.behaviour;
    auto key_text = finding.identity.key.text();
    vigil::Alert alert(info.id, info.severity);
    alert.summary("%s %s, which profile %s never held in %s of learning", class_phrase(behaviour),
                  finding.noticed.subject.c_str(), key_text.c_str(), duration_text(finding.learned_ns).c_str());
    alert.attack(info.tactics, info.techniques);
    if (event != nullptr) {
        alert.event(*event);
    } else {
        alert.subject(subject_tgid);
    }
    add_profile_evidence(alert, finding.identity, key_text);
    std::string class_name(behaviour_name(behaviour));
    alert.evidence("class", class_name.c_str());
    alert.evidence("new", finding.noticed.observation.entry.c_str());
    alert.evidence("profile_entry", finding.stored_entry.c_str());
    alert.evidence("learned_seconds", finding.learned_ns / ns_per_second);
    // One finding per profile and entry: every replica doing the same new thing is one alert.
    auto dedup = key_text + " " + finding.stored_entry;
    alert.dedup_key(dedup.c_str());
    alert.emit(host);
}

std::optional<ChangedExecVerdict> judge_changed_exec(const drift_changed_exec &record, const vigil_container &container,
                                                     uint64_t now_boot_ns, uint64_t now_unix_ns)
{
    if ((record.flags & DRIFT_IN_UPPER_LAYER) != 0) {
        return ChangedExecVerdict{"written or copied up in the container's overlay upper layer"};
    }
    if ((record.flags & DRIFT_CHANGED_AFTER_START) != 0) {
        return ChangedExecVerdict{"changed after the container started"};
    }
    if ((record.flags & DRIFT_START_UNKNOWN) == 0 || !VIGIL_HAS_FIELD(&container, vigil_container, started_ns) ||
        container.started_ns == 0 || container.started_ns > now_boot_ns) {
        return std::nullopt;
    }
    auto started_unix_ns = now_unix_ns - (now_boot_ns - container.started_ns);
    if (record.change_time_unix_ns > started_unix_ns) {
        return ChangedExecVerdict{"changed after the container started", started_unix_ns};
    }
    return std::nullopt;
}

void raise_dropped_binary_alert(const vigil::Host &host, const vigil::Event &event, const drift_changed_exec &record,
                                const ChangedExecVerdict &verdict, const WorkloadIdentity *identity)
{
    const auto &info = rule_table.at(Rule::dropped_binary_exec);
    auto exe = event.actor_name();
    vigil::Alert alert(info.id, info.severity);
    alert.summary("%s was executed though it is not as the container's image had it: %s", exe.c_str(), verdict.reason);
    alert.attack(info.tactics, info.techniques);
    alert.event(event);
    alert.evidence("exe", exe.c_str());
    alert.evidence("reason", verdict.reason);
    alert.evidence("inode", static_cast<uint64_t>(record.inode));
    alert.evidence("changed_unix_ns", static_cast<uint64_t>(record.change_time_unix_ns));
    if (verdict.container_started_unix_ns != 0) {
        alert.evidence("container_started_unix_ns", verdict.container_started_unix_ns);
    }
    std::string key_text = identity != nullptr ? identity->key.text() : std::string();
    if (identity != nullptr) {
        add_profile_evidence(alert, *identity, key_text);
    }
    alert.dedup_key(exe.c_str());
    alert.emit(host);
}

} // namespace vigil_drift
