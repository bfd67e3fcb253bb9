// SPDX-License-Identifier: Apache-2.0
// A Kubernetes audit event for FakeHost::deliver_audit, with owned strings
// (every one "" unless the test sets it, as the sensor passes them), so a
// detector test states only the fields its rule looks at.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

struct FakeAuditEvent {
    uint32_t stage = VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE;
    uint32_t source = VIGIL_AUDIT_SOURCE_WEBHOOK;
    int32_t response_code = 200;
    uint64_t request_received_unix_ns = 0;
    uint64_t stage_unix_ns = 0;
    std::string audit_id = "00000000-0000-0000-0000-000000000001";
    std::string level = "Metadata";
    std::string verb = "get";
    std::string request_uri = "/";
    std::string user_agent;
    std::string username;
    std::string user_uid;
    std::vector<std::string> user_groups;
    std::string service_account_namespace;
    std::string service_account_name;
    std::string pod_name;
    std::string pod_uid;
    std::string impersonated_username;
    std::vector<std::string> source_ips;
    std::string resource;
    std::string subresource;
    std::string object_namespace;
    std::string object_name;
    std::string object_uid;
    std::string api_group;
    std::string api_version = "v1";
    std::string raw_json = "{}";

    // The ABI view, pointing into this object: valid while it lives unchanged.
    vigil_audit_event view() const
    {
        group_pointers_.clear();
        for (const auto &group : user_groups) {
            group_pointers_.push_back(group.c_str());
        }
        ip_pointers_.clear();
        for (const auto &address : source_ips) {
            ip_pointers_.push_back(address.c_str());
        }
        vigil_audit_event event{};
        event.struct_size = sizeof(event);
        event.stage = stage;
        event.source = source;
        event.response_code = response_code;
        event.request_received_unix_ns = request_received_unix_ns;
        event.stage_unix_ns = stage_unix_ns;
        event.audit_id = audit_id.c_str();
        event.level = level.c_str();
        event.verb = verb.c_str();
        event.request_uri = request_uri.c_str();
        event.user_agent = user_agent.c_str();
        event.username = username.c_str();
        event.user_uid = user_uid.c_str();
        event.user_groups = group_pointers_.data();
        event.user_group_count = static_cast<uint32_t>(group_pointers_.size());
        event.service_account_namespace = service_account_namespace.c_str();
        event.service_account_name = service_account_name.c_str();
        event.pod_name = pod_name.c_str();
        event.pod_uid = pod_uid.c_str();
        event.impersonated_username = impersonated_username.c_str();
        event.source_ips = ip_pointers_.data();
        event.source_ip_count = static_cast<uint32_t>(ip_pointers_.size());
        event.resource = resource.c_str();
        event.subresource = subresource.c_str();
        event.object_namespace = object_namespace.c_str();
        event.object_name = object_name.c_str();
        event.object_uid = object_uid.c_str();
        event.api_group = api_group.c_str();
        event.api_version = api_version.c_str();
        event.raw_json = raw_json.c_str();
        event.raw_json_size = raw_json.size();
        return event;
    }

private:
    mutable std::vector<const char *> group_pointers_;
    mutable std::vector<const char *> ip_pointers_;
};

} // namespace vigil::testing
