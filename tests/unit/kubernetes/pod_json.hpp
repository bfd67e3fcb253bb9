// SPDX-License-Identifier: Apache-2.0
// Pod objects as the API serves them, for the kubernetes tests.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil::kubernetes::testing {

inline std::string hex_id(char digit)
{
    return std::string(64, digit);
}

// A Deployment's pod: owned by ReplicaSet web-7d4b9c, with one container of each status kind.
inline nlohmann::json deployment_pod(const std::string &uid = "uid-1", const std::string &resource_version = "100")
{
    return nlohmann::json::parse(R"({
      "kind": "Pod", "apiVersion": "v1",
      "metadata": {
        "name": "web-7d4b9c-abcde", "namespace": "shop", "uid": ")" +
                                 uid + R"(",
        "resourceVersion": ")" + resource_version +
                                 R"(",
        "labels": {"app": "web", "pod-template-hash": "7d4b9c", "tier": "front"},
        "ownerReferences": [
          {"apiVersion": "v1", "kind": "Node", "name": "not-the-controller"},
          {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c", "controller": true}
        ]
      },
      "spec": {"nodeName": "node-1", "serviceAccountName": "web-sa"},
      "status": {
        "initContainerStatuses": [{"name": "init", "containerID": "containerd://)" +
                                 hex_id('a') + R"("}],
        "containerStatuses": [{"name": "app", "containerID": "containerd://)" +
                                 hex_id('b') + R"("},
                              {"name": "starting", "state": {"waiting": {}}}],
        "ephemeralContainerStatuses": [{"name": "debug", "containerID": "cri-o://)" +
                                 hex_id('C') + R"("}]
      }
    })");
}

inline std::string event(const std::string &type, const nlohmann::json &object)
{
    return nlohmann::json{{"type", type}, {"object", object}}.dump();
}

} // namespace vigil::kubernetes::testing
