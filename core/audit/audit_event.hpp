// SPDX-License-Identifier: Apache-2.0
// One Kubernetes audit event (audit.k8s.io/v1, kind Event) as the sensor keeps
// it between the thread that received it and the event thread: owned strings,
// so that it can wait in the queue after the request or line it came from is
// gone. The fields are those detectors need; raw_json keeps the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::audit {

struct AuditEvent {
    vigil_audit_source source = VIGIL_AUDIT_SOURCE_WEBHOOK;
    vigil_audit_stage stage = VIGIL_AUDIT_STAGE_UNKNOWN;
    std::string audit_id;
    std::string level;
    std::string verb;
    std::string request_uri;
    std::string user_agent;
    std::string username;
    std::string user_uid;
    std::vector<std::string> user_groups;
    std::string service_account_namespace; // set only for system:serviceaccount:<ns>:<name>
    std::string service_account_name;
    std::string pod_name; // from user.extra, set by the API server for bound service-account tokens
    std::string pod_uid;
    std::string impersonated_username;
    std::vector<std::string> source_ips;
    std::string resource;
    std::string subresource;
    std::string object_namespace;
    std::string object_name;
    std::string object_uid;
    std::string api_group;
    std::string api_version;
    int32_t response_code = 0;
    uint64_t request_received_unix_ns = 0;
    uint64_t stage_unix_ns = 0;
    std::string raw_json;
};

} // namespace vigil::audit
