// SPDX-License-Identifier: Apache-2.0
// cryptomining.sustained_cpu: which cgroups to watch, and the alert for a
// process that kept the threshold busy for the window.
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include "detector.hpp"
#include <vigil/alert.hpp>

namespace vigil_cryptomining {

void CryptominingDetector::watch_cgroup(const vigil::Event &event)
{
    if (!settings_.rules.enabled(Rule::sustained_cpu) || !files_.available()) {
        return;
    }
    const auto now = event.header().timestamp_ns;
    if (const auto *container = event.container(); container != nullptr) {
        cpu_.watch(container->cgroup_id, container->cgroup_path != nullptr ? container->cgroup_path : "", now);
        return;
    }
    if (!settings_.cpu_include_host) {
        return;
    }
    const auto cgroup_id = event.header().cgroup_id;
    if (cpu_.watching(cgroup_id)) {
        cpu_.watch(cgroup_id, {}, now); // only refreshes when it was last seen
        return;
    }
    // A host process's cgroup has no container path: /proc says where it is, once per cgroup.
    if (auto path = files_.process_cgroup(event.header().tgid)) {
        cpu_.watch(cgroup_id, *path, now);
    }
}

void CryptominingDetector::report_busy(const BusyProcess &busy)
{
    const auto *container = host().find_container(busy.cgroup_id);
    if (settings_.containers_only && container == nullptr) {
        return;
    }
    const auto *process = host().find_process(busy.pid);
    std::string exe = process != nullptr && process->exe != nullptr ? process->exe : "";
    if (exe.empty()) {
        std::array<char, 512> link{};
        auto length =
            ::readlink((proc_root_ + "/" + std::to_string(busy.pid) + "/exe").c_str(), link.data(), link.size() - 1);
        if (length > 0) {
            exe.assign(link.data(), static_cast<std::size_t>(length));
        }
    }
    if (!exe.empty() && settings_.cpu_allowed_exes.matches(exe)) {
        allowed_.add();
        return;
    }
    std::array<char, 32> cores{};
    std::array<char, 32> threshold{};
    std::snprintf(cores.data(), cores.size(), "%.2f", busy.cores);
    std::snprintf(threshold.data(), threshold.size(), "%.2f", cpu_.settings().threshold_cores);
    const auto key = "pid:" + std::to_string(busy.pid);
    const uint64_t busy_s = busy.busy_ns / 1'000'000'000;
    const auto &info = rule_table.at(Rule::sustained_cpu);
    vigil::Alert alert(info.id, info.severity);
    alert.attack(all_tactics(), all_techniques());
    alert
        .summary("%s (pid %u) has kept %s CPU cores busy for %llu s, as a cryptocurrency miner does",
                 exe.empty() ? "a process" : exe.c_str(), busy.pid, cores.data(),
                 static_cast<unsigned long long>(busy_s))
        .subject(busy.pid)
        .evidence("cores", cores.data())
        .evidence("threshold_cores", threshold.data())
        .evidence("busy_s", busy_s)
        .evidence("window_s", cpu_.settings().window_ns / 1'000'000'000)
        .evidence("sample_interval_s", cpu_.settings().sample_interval_ns / 1'000'000'000)
        .evidence("cpu_time_ms", busy.cpu_ns / 1'000'000)
        .evidence("exe", exe.c_str())
        .evidence("cmdline", process != nullptr && process->cmdline != nullptr ? process->cmdline : "")
        .evidence("cgroup", busy.cgroup_path.c_str())
        .dedup_key(key.c_str())
        .emit(host());
}

} // namespace vigil_cryptomining
