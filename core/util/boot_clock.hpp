// SPDX-License-Identifier: Apache-2.0
// Event timestamps are CLOCK_BOOTTIME (what bpf_ktime_get_boot_ns() returns);
// alerts carry wall-clock time. This converts one into the other.
#pragma once

#include <cstdint>

namespace vigil {

// Nanoseconds of CLOCK_BOOTTIME now.
uint64_t boot_time_now_ns();

// Nanoseconds since the Unix epoch now.
uint64_t unix_time_now_ns();

// The Unix time of a CLOCK_BOOTTIME timestamp, using the offset between the two
// clocks measured now (so a wall-clock step since the event shifts it too).
uint64_t boot_to_unix_ns(uint64_t boot_ns);

} // namespace vigil
