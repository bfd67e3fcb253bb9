// SPDX-License-Identifier: Apache-2.0
// Reading the processes that already run when the sensor starts, from /proc.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/processes/process_table.hpp"

namespace vigil::processes {

// Maps a cgroup v2 path (from /proc/<pid>/cgroup) to its cgroup id, 0 if unknown.
using CgroupIdOf = std::function<uint64_t(std::string_view path)>;

std::vector<uint32_t> list_proc_pids(const std::string &proc_root);

// One process; false if it vanished meanwhile or is a kernel thread (no executable).
bool read_proc_process(const std::string &proc_root, uint32_t pid, ProcessEntry &entry, std::string &cgroup_path);

// Whether @exe names the program whose thread is called what @header's comm
// says (at most 15 characters, so a prefix of the file name). An @exe that is
// not a path is a thread name the table fell back on: never a match.
bool exe_matches_comm(std::string_view exe, const vigil_event_header &header);

// Replaces @entry's executable and arguments with what /proc says of its
// process now; false (and @entry unchanged) if the process is gone.
bool refresh_program_from_proc(const std::string &proc_root, ProcessEntry &entry);

// Seeds @table with every process under @proc_root; returns how many.
std::size_t seed_from_proc(ProcessTable &table, const std::string &proc_root, const CgroupIdOf &cgroup_id_of);

// Joins NUL-separated arguments with spaces, dropping trailing NULs.
void join_arguments(std::string_view arguments, std::string &out);

// The inode number in a namespace link's target, "mnt:[4026531841]" → 4026531841; 0 if malformed.
uint32_t namespace_inode(std::string_view link_target);

} // namespace vigil::processes
