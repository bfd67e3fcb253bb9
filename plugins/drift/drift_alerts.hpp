// SPDX-License-Identifier: Apache-2.0
// The plugin's alerts: a novelty of a stable profile, and the execution of a
// file changed since its container started.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <vigil/host.hpp>

#include "drift_events.h"
#include "noticed.hpp"
#include "workload_key.hpp"

namespace vigil_drift {

struct DriftFinding {
    const Noticed &noticed;
    const WorkloadIdentity &identity;
    const std::string &stored_entry; // as the profile now holds it (collapsed where it was)
    uint64_t learned_ns;             // how long the class learned before it became stable
};

// @event, or when the observation waited for the pod's metadata, nullptr and the subject's tgid.
void raise_drift_alert(const vigil::Host &host, const DriftFinding &finding, const vigil::Event *event,
                       uint32_t subject_tgid);

// Why an executed file counts as dropped: "written or copied up in the container's overlay upper
// layer" or "changed after the container started".
struct ChangedExecVerdict {
    const char *reason;
    uint64_t container_started_unix_ns = 0; // the start compared with, when user space decided
};

// Whether @record shows a file changed since the container started. The kernel side decides when
// it knew the start; otherwise the container's start as the sensor knows it (CLOCK_BOOTTIME,
// turned into wall-clock time with @now_boot_ns and @now_unix_ns) decides, and nothing is raised
// when neither is known.
std::optional<ChangedExecVerdict> judge_changed_exec(const drift_changed_exec &record, const vigil_container &container,
                                                     uint64_t now_boot_ns, uint64_t now_unix_ns);

void raise_dropped_binary_alert(const vigil::Host &host, const vigil::Event &event, const drift_changed_exec &record,
                                const ChangedExecVerdict &verdict, const WorkloadIdentity *identity);

} // namespace vigil_drift
