// SPDX-License-Identifier: Apache-2.0
#include "core/probes/tracefs.hpp"

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

namespace vigil::probes {
namespace {

constexpr const char *tracefs_paths[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

bool has_events(const std::string &root)
{
    return access((root + "/events/syscalls").c_str(), F_OK) == 0;
}

} // namespace

TracefsStatus ensure_tracefs(bool mount_if_missing)
{
    for (const char *path : tracefs_paths) {
        if (has_events(path)) {
            return {true, false, std::string("at ") + path};
        }
    }
    if (!mount_if_missing) {
        return {false, false, "not mounted (sensor.mount_tracefs is off)"};
    }
    if (mount("tracefs", tracefs_paths[0], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
        return {false, false,
                std::string("not mounted, and mounting it at /sys/kernel/tracing failed: ") + std::strerror(errno)};
    }
    if (!has_events(tracefs_paths[0])) {
        return {false, true, "mounted at /sys/kernel/tracing but it has no syscall events"};
    }
    return {true, true, "mounted by the sensor at /sys/kernel/tracing"};
}

} // namespace vigil::probes
