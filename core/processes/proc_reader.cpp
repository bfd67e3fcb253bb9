// SPDX-License-Identifier: Apache-2.0
#include "core/processes/proc_reader.hpp"

#include <charconv>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace vigil::processes {
namespace {

bool read_file(const std::string &path, std::string &content, std::size_t limit = 64 * 1024)
{
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        return false;
    }
    content.resize(limit);
    stream.read(content.data(), static_cast<std::streamsize>(limit));
    content.resize(static_cast<std::size_t>(stream.gcount()));
    return true;
}

std::string read_link(const std::string &path)
{
    char target[4096];
    auto length = readlink(path.c_str(), target, sizeof(target));
    return length > 0 ? std::string(target, static_cast<std::size_t>(length)) : std::string();
}

template <class Number> bool parse_number(std::string_view text, Number &value)
{
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end != text.data();
}

// The value after "Key:\t" in /proc/<pid>/status, up to the end of its line.
std::string_view status_field(std::string_view status, std::string_view key)
{
    auto position = status.find(key);
    while (position != std::string_view::npos && position != 0 && status[position - 1] != '\n') {
        position = status.find(key, position + 1);
    }
    if (position == std::string_view::npos) {
        return {};
    }
    auto value = status.substr(position + key.size());
    value = value.substr(0, value.find('\n'));
    while (!value.empty() && (value.front() == '\t' || value.front() == ' ')) {
        value.remove_prefix(1);
    }
    return value;
}

// The last whitespace-separated number of a status line ("NSpid:\t812\t1" → 1).
uint32_t last_number(std::string_view line)
{
    auto end = line.find_last_not_of(" \t");
    if (end == std::string_view::npos) {
        return 0;
    }
    line = line.substr(0, end + 1);
    auto start = line.find_last_of(" \t");
    uint32_t value = 0;
    parse_number(start == std::string_view::npos ? line : line.substr(start + 1), value);
    return value;
}

uint32_t first_number(std::string_view line)
{
    uint32_t value = 0;
    parse_number(line.substr(0, line.find_first_of(" \t")), value);
    return value;
}

} // namespace

std::vector<uint32_t> list_proc_pids(const std::string &proc_root)
{
    std::vector<uint32_t> pids;
    DIR *directory = opendir(proc_root.c_str());
    if (directory == nullptr) {
        return pids;
    }
    while (dirent *entry = readdir(directory)) {
        uint32_t pid = 0;
        std::string_view name(entry->d_name);
        if (parse_number(name, pid) && name.find_first_not_of("0123456789") == std::string_view::npos) {
            pids.push_back(pid);
        }
    }
    closedir(directory);
    return pids;
}

void join_arguments(std::string_view arguments, std::string &out)
{
    out.clear();
    while (!arguments.empty() && arguments.back() == '\0') {
        arguments.remove_suffix(1);
    }
    for (char character : arguments) {
        out.push_back(character == '\0' ? ' ' : character);
    }
}

uint32_t namespace_inode(std::string_view link_target)
{
    auto open = link_target.find('[');
    auto close = link_target.find(']');
    uint32_t inode = 0;
    if (open == std::string_view::npos || close == std::string_view::npos || close <= open) {
        return 0;
    }
    parse_number(link_target.substr(open + 1, close - open - 1), inode);
    return inode;
}

bool read_proc_process(const std::string &proc_root, uint32_t pid, ProcessEntry &entry, std::string &cgroup_path)
{
    auto base = proc_root + "/" + std::to_string(pid);
    std::string exe = read_link(base + "/exe");
    if (exe.empty()) {
        return false; // a kernel thread, or gone
    }
    std::string stat;
    std::string status;
    if (!read_file(base + "/stat", stat) || !read_file(base + "/status", status)) {
        return false;
    }
    // stat: "pid (comm) state ppid ... starttime(22nd)"; comm may hold spaces and parentheses.
    auto after_comm = stat.rfind(')');
    if (after_comm == std::string::npos) {
        return false;
    }
    std::istringstream fields(stat.substr(after_comm + 2));
    std::string state;
    uint32_t parent = 0;
    fields >> state >> parent;
    std::string skipped;
    for (int field = 5; field < 22 && fields >> skipped; ++field) {
    }
    uint64_t start_ticks = 0;
    fields >> start_ticks;
    static const auto ticks_per_second = static_cast<uint64_t>(sysconf(_SC_CLK_TCK));

    entry = ProcessEntry{};
    entry.tgid = pid;
    entry.parent_tgid = parent;
    entry.start_ns = start_ticks * (1'000'000'000ULL / ticks_per_second);
    entry.uid = first_number(status_field(status, "Uid:"));
    entry.gid = first_number(status_field(status, "Gid:"));
    entry.ns_tgid = last_number(status_field(status, "NStgid:"));
    entry.mnt_ns = namespace_inode(read_link(base + "/ns/mnt"));
    entry.pid_ns = namespace_inode(read_link(base + "/ns/pid"));
    entry.net_ns = namespace_inode(read_link(base + "/ns/net"));
    entry.exe = std::move(exe);
    std::string arguments;
    read_file(base + "/cmdline", arguments, 4096);
    join_arguments(arguments, entry.cmdline);
    if (entry.cmdline.size() > 1024) {
        entry.cmdline.resize(1024);
    }

    std::string cgroups;
    cgroup_path.clear();
    if (read_file(base + "/cgroup", cgroups)) {
        // cgroup v2 (and the unified part of a hybrid host) is the "0::" line.
        std::istringstream lines(cgroups);
        for (std::string line; std::getline(lines, line);) {
            if (line.starts_with("0::")) {
                cgroup_path = line.substr(3);
            }
        }
    }
    return true;
}

std::size_t seed_from_proc(ProcessTable &table, const std::string &proc_root, const CgroupIdOf &cgroup_id_of)
{
    std::size_t seeded = 0;
    std::string cgroup_path;
    for (uint32_t pid : list_proc_pids(proc_root)) {
        ProcessEntry entry;
        if (!read_proc_process(proc_root, pid, entry, cgroup_path)) {
            continue;
        }
        entry.cgroup_id = cgroup_id_of(cgroup_path);
        table.seed(std::move(entry));
        ++seeded;
    }
    return seeded;
}

bool exe_matches_comm(std::string_view exe, const vigil_event_header &header)
{
    std::string_view comm(header.comm, strnlen(header.comm, sizeof(header.comm)));
    if (comm.empty()) {
        return true; // nothing to judge by
    }
    auto slash = exe.rfind('/');
    if (slash == std::string_view::npos) {
        // Not a path: the table only has a thread name (no fork or exec of the
        // process was seen), which tells nothing about the program, even when
        // it is this very comm.
        return false;
    }
    return exe.substr(slash + 1).starts_with(comm);
}

bool refresh_program_from_proc(const std::string &proc_root, ProcessEntry &entry)
{
    auto base = proc_root + "/" + std::to_string(entry.tgid);
    std::string exe = read_link(base + "/exe");
    if (exe.empty()) {
        return false;
    }
    std::string arguments;
    read_file(base + "/cmdline", arguments, 4096);
    entry.exe = std::move(exe);
    join_arguments(arguments, entry.cmdline);
    return true;
}

} // namespace vigil::processes
