// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_birth.hpp"

#include <sys/stat.h>

#include "core/util/boot_clock.hpp"

namespace vigil::containers {

uint64_t cgroup_change_time_ns(const std::string &mount_point, std::string_view path)
{
    if (mount_point.empty()) {
        return 0;
    }
    struct stat status {};
    if (::stat((mount_point + std::string(path)).c_str(), &status) != 0) {
        return 0;
    }
    auto changed_unix_ns =
        static_cast<uint64_t>(status.st_ctim.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(status.st_ctim.tv_nsec);
    // The offset between the clocks, measured now: the same conversion as boot_to_unix_ns, backwards.
    auto boot_now = boot_time_now_ns();
    auto unix_now = unix_time_now_ns();
    auto age = unix_now > changed_unix_ns ? unix_now - changed_unix_ns : 0;
    return age < boot_now ? boot_now - age : 0;
}

} // namespace vigil::containers
