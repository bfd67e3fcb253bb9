// SPDX-License-Identifier: Apache-2.0
// tracefs: where tp/ programs find their tracepoints. Hosts do not always
// mount it (a fresh VM, a minimal node image); without it every tp/ program
// fails to attach with ENOENT and its tp_btf/ fallback takes over.
#pragma once

#include <string>

namespace vigil::probes {

struct TracefsStatus {
    bool available = false;
    bool mounted_now = false; // the sensor mounted it
    std::string detail;       // where it is, or why it is not
};

// Finds tracefs at /sys/kernel/tracing or /sys/kernel/debug/tracing; mounts it
// at /sys/kernel/tracing when @mount_if_missing and it is nowhere.
TracefsStatus ensure_tracefs(bool mount_if_missing);

} // namespace vigil::probes
