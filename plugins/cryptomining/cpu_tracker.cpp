// SPDX-License-Identifier: Apache-2.0
#include "cpu_tracker.hpp"

namespace vigil_cryptomining {
namespace {

// Cores used: @cpu_ns of CPU time over @wall_ns of elapsed time.
double cores_used(uint64_t cpu_ns, uint64_t wall_ns)
{
    return wall_ns == 0 ? 0.0 : static_cast<double>(cpu_ns) / static_cast<double>(wall_ns);
}

} // namespace

void CpuTracker::watch(uint64_t cgroup_id, std::string_view cgroup_path, uint64_t now_ns)
{
    auto found = cgroups_.find(cgroup_id);
    if (found != cgroups_.end()) {
        found->second.last_seen_ns = now_ns;
        return;
    }
    if (cgroups_.size() >= settings_.max_cgroups) {
        evict_oldest();
    }
    auto &cgroup = cgroups_[cgroup_id];
    cgroup.path.assign(cgroup_path);
    cgroup.last_seen_ns = now_ns;
    cgroup.next_due_ns = now_ns; // the first sample is the baseline: take it at once
}

void CpuTracker::evict_oldest()
{
    auto oldest = cgroups_.begin();
    for (auto entry = cgroups_.begin(); entry != cgroups_.end(); ++entry) {
        if (entry->second.last_seen_ns < oldest->second.last_seen_ns) {
            oldest = entry;
        }
    }
    if (oldest != cgroups_.end()) {
        cgroups_.erase(oldest);
    }
}

std::size_t CpuTracker::sample(uint64_t now_ns, const CpuFiles &files, std::vector<BusyProcess> &busy)
{
    std::size_t reads = 0;
    std::size_t cgroups_read = 0;
    gone_.clear();
    for (auto &[cgroup_id, cgroup] : cgroups_) {
        if (cgroups_read >= settings_.max_cgroup_reads_per_tick) {
            break;
        }
        if (now_ns < cgroup.next_due_ns) {
            continue;
        }
        ++cgroups_read;
        bool gone = false;
        reads += sample_cgroup(cgroup_id, cgroup, now_ns, files, busy, gone);
        if (gone) {
            gone_.push_back(cgroup_id);
        }
    }
    // A cgroup whose cpu.stat cannot be read was removed (its removal event may have been missed).
    for (auto cgroup_id : gone_) {
        cgroups_.erase(cgroup_id);
    }
    return reads;
}

std::size_t CpuTracker::sample_cgroup(uint64_t cgroup_id, CgroupState &cgroup, uint64_t now_ns, const CpuFiles &files,
                                      std::vector<BusyProcess> &busy, bool &gone)
{
    cgroup.next_due_ns = now_ns + settings_.sample_interval_ns;
    auto usage = files.cgroup_usage_usec(cgroup.path);
    if (!usage) {
        gone = true;
        return 1;
    }
    bool has_previous = cgroup.last_ns != 0 && *usage >= cgroup.last_usage_usec && now_ns > cgroup.last_ns;
    double cores = has_previous ? cores_used((*usage - cgroup.last_usage_usec) * 1000, now_ns - cgroup.last_ns) : 0;
    cgroup.last_usage_usec = *usage;
    cgroup.last_ns = now_ns;
    if (!has_previous || cores < settings_.threshold_cores) {
        // No process of it can have been above the threshold: nothing to follow.
        cgroup.processes.clear();
        return 1;
    }
    return 1 + sample_processes(cgroup_id, cgroup, now_ns, files, busy);
}

std::size_t CpuTracker::sample_processes(uint64_t cgroup_id, CgroupState &cgroup, uint64_t now_ns,
                                         const CpuFiles &files, std::vector<BusyProcess> &busy)
{
    std::size_t reads = 1;
    if (!files.cgroup_processes(cgroup.path, pids_, settings_.max_processes_per_cgroup)) {
        cgroup.processes.clear();
        return reads;
    }
    for (auto &[pid, state] : cgroup.processes) {
        state.seen = false;
    }
    for (auto pid : pids_) {
        ++reads;
        auto cpu_ns = files.process_cpu_ns(pid);
        if (!cpu_ns) {
            continue; // exited meanwhile
        }
        auto [entry, inserted] = cgroup.processes.try_emplace(pid);
        auto &state = entry->second;
        state.seen = true;
        bool has_previous = !inserted && *cpu_ns >= state.last_cpu_ns && now_ns > state.last_ns;
        if (has_previous) {
            auto used_ns = *cpu_ns - state.last_cpu_ns;
            if (cores_used(used_ns, now_ns - state.last_ns) >= settings_.threshold_cores) {
                if (state.busy_since_ns == 0) {
                    state.busy_since_ns = state.last_ns;
                }
                state.busy_cpu_ns += used_ns;
            } else {
                state.busy_since_ns = 0;
                state.busy_cpu_ns = 0;
                state.reported = false;
            }
        } else {
            // First sight, or a new process that reuses the pid: a baseline.
            state = ProcessState{};
            state.seen = true;
        }
        state.last_cpu_ns = *cpu_ns;
        state.last_ns = now_ns;
        if (state.busy_since_ns != 0 && !state.reported && now_ns - state.busy_since_ns >= settings_.window_ns) {
            state.reported = true;
            auto busy_ns = now_ns - state.busy_since_ns;
            busy.push_back(BusyProcess{pid, cgroup_id, cgroup.path, cores_used(state.busy_cpu_ns, busy_ns), busy_ns,
                                       state.busy_cpu_ns});
        }
    }
    std::erase_if(cgroup.processes, [](const auto &entry) { return !entry.second.seen; });
    return reads;
}

} // namespace vigil_cryptomining
