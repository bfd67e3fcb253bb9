// SPDX-License-Identifier: Apache-2.0
// Reading the paths, names and flags the kernel side reports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil_escape {

// The text of a fixed-size record field: up to its first NUL, never past its end.
std::string_view field_text(const char *field, std::size_t capacity);

template <std::size_t Capacity> std::string_view field_text(const char (&field)[Capacity])
{
    return field_text(field, Capacity);
}

// The <pid> of "/proc/<pid>/root" or "/proc/<pid>/root/..."; nullopt for any
// other path, "/proc/self/root" and "/proc/thread-self/root" included.
std::optional<uint32_t> proc_root_pid(std::string_view path);

// O_WRONLY or O_RDWR in open flags.
bool opens_for_writing(uint64_t flags);
// "write-only", "read-write" or "read-only", for the evidence.
const char *access_text(uint64_t flags);

// The kernel's dev_t (major << 20 | minor) as "major:minor".
struct Device {
    uint32_t major = 0;
    uint32_t minor = 0;
    bool operator==(const Device &) const = default;
};
Device kernel_device(uint32_t dev);

} // namespace vigil_escape
