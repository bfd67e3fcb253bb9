// SPDX-License-Identifier: Apache-2.0
// What the sensor keeps of one pod: the fields an alert shows, and the
// container ids that lead from an alert's container to its pod.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vigil::kubernetes {

// One entry of the pod's container statuses (regular, init or ephemeral).
struct ContainerStatus {
    std::string id;       // 64 hex digits
    std::string name;     // the container's name in the pod
    std::string image;    // "repo:tag", as the status gives it
    std::string image_id; // the digest, as imageID gives it
};

struct PodMetadata {
    std::string uid;
    std::string namespace_name;
    std::string name;
    std::string node;
    std::string service_account;
    std::vector<std::pair<std::string, std::string>> labels; // only the configured keys, in their order
    // The pod's controller as its ownerReferences say (ReplicaSet, Job, DaemonSet, ...).
    std::string owner_kind;
    std::string owner_name;
    // The workload a person manages: the owner, or the Deployment above a
    // ReplicaSet and the CronJob above a Job, once resolved.
    std::string workload_kind;
    std::string workload_name;
    // Which revision of the workload's pod template made this pod:
    // pod-template-hash (ReplicaSet) or controller-revision-hash (DaemonSet, StatefulSet).
    std::string template_hash;
    std::vector<std::string> container_ids;  // 64 hex digits each, from every kind of container status
    std::vector<ContainerStatus> containers; // the same containers, in the same order
};

} // namespace vigil::kubernetes
