// SPDX-License-Identifier: Apache-2.0
#include "cpu_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <span>

namespace vigil_cryptomining {
namespace {

// Reads the start of @path into @buffer; the text read, or nothing.
std::optional<std::string_view> read_small_file(const std::string &path, std::span<char> buffer)
{
    int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) {
        return std::nullopt;
    }
    std::size_t used = 0;
    while (used < buffer.size()) {
        auto count = ::read(descriptor, buffer.data() + used, buffer.size() - used);
        if (count <= 0) {
            break;
        }
        used += static_cast<std::size_t>(count);
    }
    ::close(descriptor);
    return std::string_view(buffer.data(), used);
}

std::optional<uint64_t> parse_number(std::string_view text)
{
    uint64_t value = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc{} || result.ptr == text.data()) {
        return std::nullopt;
    }
    return value;
}

std::string_view next_line(std::string_view &text)
{
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

} // namespace

std::optional<uint64_t> parse_cpu_stat_usage(std::string_view cpu_stat)
{
    while (!cpu_stat.empty()) {
        auto line = next_line(cpu_stat);
        if (line.starts_with("usage_usec ")) {
            return parse_number(line.substr(11));
        }
    }
    return std::nullopt;
}

std::optional<uint64_t> parse_schedstat_runtime(std::string_view schedstat)
{
    return parse_number(schedstat.substr(0, schedstat.find(' ')));
}

std::optional<uint64_t> parse_stat_cpu_ticks(std::string_view stat)
{
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    auto close = stat.rfind(')');
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    auto rest = stat.substr(close + 1);
    // After ')': field 3 (state) is the first; utime and stime are fields 14 and 15.
    uint64_t total = 0;
    for (int field = 3; field <= 15; ++field) {
        auto start = rest.find_first_not_of(' ');
        if (start == std::string_view::npos) {
            return std::nullopt;
        }
        rest.remove_prefix(start);
        auto end = rest.find(' ');
        auto token = rest.substr(0, end);
        if (field >= 14) {
            auto value = parse_number(token);
            if (!value) {
                return std::nullopt;
            }
            total += *value;
        }
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    }
    return total;
}

std::optional<std::string> parse_unified_cgroup(std::string_view proc_cgroup)
{
    while (!proc_cgroup.empty()) {
        auto line = next_line(proc_cgroup);
        if (line.starts_with("0::")) {
            return std::string(line.substr(3));
        }
    }
    return std::nullopt;
}

CpuFiles::CpuFiles(std::string cgroup2_root, std::string proc_root)
    : cgroup2_root_(std::move(cgroup2_root)), proc_root_(std::move(proc_root))
{
    while (cgroup2_root_.size() > 1 && cgroup2_root_.back() == '/') {
        cgroup2_root_.pop_back();
    }
    auto ticks = ::sysconf(_SC_CLK_TCK);
    nanoseconds_per_tick_ = ticks > 0 ? 1'000'000'000ull / static_cast<uint64_t>(ticks) : 10'000'000ull;
}

std::string CpuFiles::cgroup_file(std::string_view cgroup_path, std::string_view file) const
{
    std::string path = cgroup2_root_;
    if (!cgroup_path.starts_with('/')) {
        path.push_back('/');
    }
    path.append(cgroup_path);
    if (path.back() != '/') {
        path.push_back('/');
    }
    path.append(file);
    return path;
}

std::optional<uint64_t> CpuFiles::cgroup_usage_usec(std::string_view cgroup_path) const
{
    std::array<char, 1024> buffer;
    auto text = read_small_file(cgroup_file(cgroup_path, "cpu.stat"), buffer);
    return text ? parse_cpu_stat_usage(*text) : std::nullopt;
}

bool CpuFiles::cgroup_processes(std::string_view cgroup_path, std::vector<uint32_t> &pids, std::size_t limit) const
{
    pids.clear();
    std::array<char, 4096> buffer;
    auto text = read_small_file(cgroup_file(cgroup_path, "cgroup.procs"), buffer);
    if (!text) {
        return false;
    }
    // A pid cut off by the end of the buffer is left out.
    auto complete = text->substr(0, text->rfind('\n') + 1);
    while (!complete.empty() && pids.size() < limit) {
        if (auto pid = parse_number(next_line(complete)); pid && *pid > 0 && *pid <= UINT32_MAX) {
            pids.push_back(static_cast<uint32_t>(*pid));
        }
    }
    return true;
}

std::optional<uint64_t> CpuFiles::process_cpu_ns(uint32_t pid) const
{
    std::array<char, 512> buffer;
    auto base = proc_root_ + "/" + std::to_string(pid);
    if (auto text = read_small_file(base + "/schedstat", buffer)) {
        if (auto runtime = parse_schedstat_runtime(*text)) {
            return runtime;
        }
    }
    // Kernels without CONFIG_SCHED_INFO have no schedstat; stat has tick granularity.
    if (auto text = read_small_file(base + "/stat", buffer)) {
        if (auto ticks = parse_stat_cpu_ticks(*text)) {
            return *ticks * nanoseconds_per_tick_;
        }
    }
    return std::nullopt;
}

std::optional<std::string> CpuFiles::process_cgroup(uint32_t pid) const
{
    std::array<char, 2048> buffer;
    auto text = read_small_file(proc_root_ + "/" + std::to_string(pid) + "/cgroup", buffer);
    return text ? parse_unified_cgroup(*text) : std::nullopt;
}

} // namespace vigil_cryptomining
