// SPDX-License-Identifier: Apache-2.0
// What the running kernel offers vigil: attach types and kernel features,
// each probed for real (load and attach), for `vigil check` and the start log.
#pragma once

#include <string>
#include <vector>

#include "core/probes/attach_type.hpp"
#include "core/probes/tracefs.hpp"

namespace vigil::probes {

struct FeatureResult {
    std::string name;
    bool available = false;
    std::string detail; // why not, or where
};

struct KernelFeatures {
    std::string kernel_release;
    std::vector<FeatureResult> attach_types; // in AttachType order, "other" excluded
    std::vector<FeatureResult> features;     // BTF, ring buffer, tracefs, cgroup v2, ...
};

// @cgroup2_mount: where to create the short-lived cgroup the cgroup attach probe needs ("" skips it).
// @tracefs: what ensure_tracefs() found, reported as a feature.
KernelFeatures probe_kernel_features(const std::string &cgroup2_mount, const TracefsStatus &tracefs);

} // namespace vigil::probes
