// SPDX-License-Identifier: Apache-2.0
#include "paths.hpp"

#include <cstring>

namespace vigil_injection {
namespace {

// Consumes the decimal number at the start of @text (1 to 10 digits, as procfs
// names pids: no sign, no leading zero unless it is "0" itself).
std::optional<uint32_t> take_number(std::string_view &text)
{
    std::size_t digits = 0;
    uint64_t value = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && digits < 10) {
        value = value * 10 + static_cast<uint64_t>(text[digits] - '0');
        ++digits;
    }
    if (digits == 0 || value > UINT32_MAX || (digits > 1 && text[0] == '0')) {
        return std::nullopt;
    }
    text.remove_prefix(digits);
    return static_cast<uint32_t>(value);
}

bool take_prefix(std::string_view &text, std::string_view prefix)
{
    if (!text.starts_with(prefix)) {
        return false;
    }
    text.remove_prefix(prefix.size());
    return true;
}

} // namespace

std::string_view field_text(const char *field, std::size_t capacity)
{
    const void *end = std::memchr(field, '\0', capacity);
    return {field, end != nullptr ? static_cast<std::size_t>(static_cast<const char *>(end) - field) : capacity};
}

std::optional<ProcMemPath> parse_proc_mem_path(std::string_view path)
{
    ProcMemPath parsed;
    if (!take_prefix(path, "/proc/")) {
        return std::nullopt;
    }
    auto pid = take_number(path);
    if (!pid) {
        return std::nullopt;
    }
    parsed.pid = *pid;
    if (path == "/mem") {
        return parsed;
    }
    if (!take_prefix(path, "/task/")) {
        return std::nullopt;
    }
    parsed.tid = take_number(path);
    if (!parsed.tid || path != "/mem") {
        return std::nullopt;
    }
    return parsed;
}

bool is_ld_so_preload_path(std::string_view path)
{
    return path == "/etc/ld.so.preload";
}

bool opens_for_writing(uint64_t flags)
{
    return (flags & 3u) != 0; // O_WRONLY 1, O_RDWR 2 (3, "no access", asks for write permission too)
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

std::optional<std::string_view> memfd_name(std::string_view exe_name)
{
    constexpr std::string_view prefix = "memfd:";
    if (!exe_name.starts_with(prefix)) {
        return std::nullopt;
    }
    return exe_name.substr(prefix.size());
}

} // namespace vigil_injection
