// SPDX-License-Identifier: Apache-2.0
// Which profile a container's behaviour feeds: its workload's key and the
// version of the workload it runs, from what the sensor knows of it.
#pragma once

#include <optional>
#include <string>

#include <vigil/plugin_abi.h>

#include "profile/profile_key.hpp"

namespace vigil_drift {

struct WorkloadIdentity {
    ProfileKey key;
    // The workload's revision: its pod-template hash, else the image digest, else the image.
    std::string version;
};

// The identity of @container, or nothing while the API server has not reported its pod yet
// (the caller waits a little before settling for the fallback).
//
// With the API: namespace / workload kind / workload name / container name, so every replica of
// a Deployment feeds one profile. Without one (or once the wait is over): the fallback the cgroup
// gives, namespace "" and kind "Pod" named by the pod's UID, and the container's id: it cannot
// join replicas, and its key says so with source "cgroup".
std::optional<WorkloadIdentity> workload_identity(const vigil_container &container, bool settle_for_fallback);

} // namespace vigil_drift
