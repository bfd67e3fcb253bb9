// SPDX-License-Identifier: Apache-2.0
// When a cgroup that was there before the sensor started appeared, as far as
// its directory tells: the kernel's cgroup-created event, which gives the
// time of the others, came before the sensor listened.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::containers {

// The change time of @mount_point + @path, as CLOCK_BOOTTIME nanoseconds; 0
// when it cannot be read or lies outside this boot. An estimate: the time a
// directory's contents last changed, for a container's cgroup usually when
// it was made.
uint64_t cgroup_change_time_ns(const std::string &mount_point, std::string_view path);

} // namespace vigil::containers
