// SPDX-License-Identifier: Apache-2.0
// The files CPU use is read from: a cgroup's cpu.stat and cgroup.procs (cgroup
// v2), and a process's schedstat (or stat) in the host's procfs. Each read is
// one small file into a stack buffer; nothing here blocks on anything but the
// kernel's pseudo-files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil_cryptomining {

class CpuFiles {
public:
    // @cgroup2_root: where cgroup v2 is mounted ("" when it is not); @proc_root: the host's procfs.
    CpuFiles(std::string cgroup2_root, std::string proc_root);

    bool available() const { return !cgroup2_root_.empty(); }

    // usage_usec of <root><cgroup_path>/cpu.stat: CPU time of everything in the cgroup, in microseconds.
    std::optional<uint64_t> cgroup_usage_usec(std::string_view cgroup_path) const;
    // Up to @limit pids of <root><cgroup_path>/cgroup.procs into @pids (cleared first); false if unreadable.
    bool cgroup_processes(std::string_view cgroup_path, std::vector<uint32_t> &pids, std::size_t limit) const;
    // CPU time of all the process's threads, in nanoseconds: schedstat's first field, else stat's utime + stime.
    std::optional<uint64_t> process_cpu_ns(uint32_t pid) const;
    // The process's cgroup v2 path ("/user.slice/..."), from the "0::" line of /proc/<pid>/cgroup.
    std::optional<std::string> process_cgroup(uint32_t pid) const;

private:
    std::string cgroup_file(std::string_view cgroup_path, std::string_view file) const;

    std::string cgroup2_root_;
    std::string proc_root_;
    uint64_t nanoseconds_per_tick_;
};

// Parsers of those files' contents, apart so that they can be tested on their own.
std::optional<uint64_t> parse_cpu_stat_usage(std::string_view cpu_stat);
std::optional<uint64_t> parse_schedstat_runtime(std::string_view schedstat);
// utime + stime (fields 14 and 15) of /proc/<pid>/stat, in clock ticks.
std::optional<uint64_t> parse_stat_cpu_ticks(std::string_view stat);
std::optional<std::string> parse_unified_cgroup(std::string_view proc_cgroup);

} // namespace vigil_cryptomining
