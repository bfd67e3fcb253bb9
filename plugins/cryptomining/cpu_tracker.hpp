// SPDX-License-Identifier: Apache-2.0
// Sustained CPU use, measured cheaply: each watched cgroup's total CPU time
// (one small file) every sample interval; only a cgroup that used at least the
// threshold over the last interval has its processes' CPU times read, since no
// process of a quieter cgroup can be above it. A process whose use stays at or
// above the threshold in every interval for the whole window is reported once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cpu_files.hpp"

namespace vigil_cryptomining {

struct CpuSettings {
    double threshold_cores = 0.9;                // share of one core, 1.0 = a whole core
    uint64_t window_ns = 40'000'000'000;         // how long it must last
    uint64_t sample_interval_ns = 5'000'000'000; // how often a cgroup is read
    std::size_t max_cgroups = 4096;              // beyond it, the cgroup seen longest ago is forgotten
    std::size_t max_cgroup_reads_per_tick = 16;  // the rest wait for the next tick
    std::size_t max_processes_per_cgroup = 256;  // of a busy cgroup's cgroup.procs
};

// A process that kept at least the threshold busy for the window.
struct BusyProcess {
    uint32_t pid = 0;
    uint64_t cgroup_id = 0;
    std::string cgroup_path;
    double cores = 0;     // its mean use over busy_ns
    uint64_t busy_ns = 0; // how long it has been at or above the threshold
    uint64_t cpu_ns = 0;  // CPU time it used in that time
};

class CpuTracker {
public:
    explicit CpuTracker(CpuSettings settings) : settings_(settings) {}

    // Starts (or keeps) watching the cgroup at @cgroup_path, relative to the cgroup v2 root.
    void watch(uint64_t cgroup_id, std::string_view cgroup_path, uint64_t now_ns);
    void forget(uint64_t cgroup_id) { cgroups_.erase(cgroup_id); }
    bool watching(uint64_t cgroup_id) const { return cgroups_.contains(cgroup_id); }
    std::size_t size() const { return cgroups_.size(); }

    // Reads the cgroups whose sample is due (a bounded number); appends the processes that
    // just completed a busy window to @busy. Returns how many files it read.
    std::size_t sample(uint64_t now_ns, const CpuFiles &files, std::vector<BusyProcess> &busy);

    const CpuSettings &settings() const { return settings_; }

private:
    struct ProcessState {
        uint64_t last_cpu_ns = 0;
        uint64_t last_ns = 0;
        uint64_t busy_since_ns = 0; // 0: not (yet) busy
        uint64_t busy_cpu_ns = 0;
        bool reported = false;
        bool seen = false; // in the latest cgroup.procs
    };
    struct CgroupState {
        std::string path;
        uint64_t last_usage_usec = 0;
        uint64_t last_ns = 0; // 0: no sample yet
        uint64_t next_due_ns = 0;
        uint64_t last_seen_ns = 0;
        std::unordered_map<uint32_t, ProcessState> processes; // only while the cgroup is busy
    };

    // Returns the files read; false in @gone when the cgroup no longer exists.
    std::size_t sample_cgroup(uint64_t cgroup_id, CgroupState &cgroup, uint64_t now_ns, const CpuFiles &files,
                              std::vector<BusyProcess> &busy, bool &gone);
    std::size_t sample_processes(uint64_t cgroup_id, CgroupState &cgroup, uint64_t now_ns, const CpuFiles &files,
                                 std::vector<BusyProcess> &busy);
    void evict_oldest();

    CpuSettings settings_;
    std::unordered_map<uint64_t, CgroupState> cgroups_;
    std::vector<uint32_t> pids_; // scratch, reused
    std::vector<uint64_t> gone_; // scratch, reused
};

} // namespace vigil_cryptomining
