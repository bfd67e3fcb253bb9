// SPDX-License-Identifier: Apache-2.0
// Reading the paths and names the kernel side reports: which file an open
// targets, what an exec'd file is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil_injection {

// The text of a fixed-size record field: up to its first NUL, never past its end.
std::string_view field_text(const char *field, std::size_t capacity);

template <std::size_t Capacity> std::string_view field_text(const char (&field)[Capacity])
{
    return field_text(field, Capacity);
}

// "/proc/<pid>/mem" or "/proc/<pid>/task/<tid>/mem": a process's memory file.
struct ProcMemPath {
    uint32_t pid = 0;
    std::optional<uint32_t> tid;
};

// The memory file @path names, by number; nullopt for any other path,
// "/proc/self/mem" and "/proc/thread-self/mem" included (those are the caller's own).
std::optional<ProcMemPath> parse_proc_mem_path(std::string_view path);

bool is_ld_so_preload_path(std::string_view path);

// O_WRONLY or O_RDWR in open flags.
bool opens_for_writing(uint64_t flags);
// "write-only", "read-write" (or "read-only"), for the evidence.
const char *access_text(uint64_t flags);

// The name given to memfd_create(), from the dentry name "memfd:<name>" of an
// exec'd file; nullopt when the file is no memfd.
std::optional<std::string_view> memfd_name(std::string_view exe_name);

} // namespace vigil_injection
