// SPDX-License-Identifier: Apache-2.0
#include "paths.hpp"

#include <cstring>

namespace vigil_escape {

std::string_view field_text(const char *field, std::size_t capacity)
{
    const void *end = std::memchr(field, '\0', capacity);
    return {field, end != nullptr ? static_cast<std::size_t>(static_cast<const char *>(end) - field) : capacity};
}

std::optional<uint32_t> proc_root_pid(std::string_view path)
{
    constexpr std::string_view prefix = "/proc/";
    if (!path.starts_with(prefix)) {
        return std::nullopt;
    }
    path.remove_prefix(prefix.size());
    std::size_t digits = 0;
    uint64_t value = 0;
    while (digits < path.size() && digits < 10 && path[digits] >= '0' && path[digits] <= '9') {
        value = value * 10 + static_cast<uint64_t>(path[digits] - '0');
        ++digits;
    }
    if (digits == 0 || value > UINT32_MAX) {
        return std::nullopt;
    }
    path.remove_prefix(digits);
    constexpr std::string_view root = "/root";
    if (!path.starts_with(root)) {
        return std::nullopt;
    }
    path.remove_prefix(root.size());
    if (!path.empty() && path.front() != '/') {
        return std::nullopt;
    }
    return static_cast<uint32_t>(value);
}

bool opens_for_writing(uint64_t flags)
{
    return (flags & 3u) != 0;
}

const char *access_text(uint64_t flags)
{
    switch (flags & 3u) {
    case 1:
        return "write-only";
    case 0:
        return "read-only";
    default:
        return "read-write";
    }
}

Device kernel_device(uint32_t dev)
{
    return Device{dev >> 20, dev & 0xfffffu};
}

} // namespace vigil_escape
