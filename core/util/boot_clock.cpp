// SPDX-License-Identifier: Apache-2.0
#include "core/util/boot_clock.hpp"

#include <ctime>

namespace vigil {
namespace {

uint64_t read_clock(clockid_t clock)
{
    timespec now{};
    clock_gettime(clock, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(now.tv_nsec);
}

} // namespace

uint64_t boot_time_now_ns()
{
    return read_clock(CLOCK_BOOTTIME);
}

uint64_t unix_time_now_ns()
{
    return read_clock(CLOCK_REALTIME);
}

uint64_t boot_to_unix_ns(uint64_t boot_ns)
{
    auto boot_now = boot_time_now_ns();
    auto unix_now = unix_time_now_ns();
    return unix_now - (boot_now - boot_ns);
}

} // namespace vigil
