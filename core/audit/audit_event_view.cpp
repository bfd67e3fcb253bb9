// SPDX-License-Identifier: Apache-2.0
#include "core/audit/audit_event_view.hpp"

namespace vigil::audit {

const vigil_audit_event &AuditEventView::view_of(const AuditEvent &event)
{
    groups_.clear();
    for (const auto &group : event.user_groups) {
        groups_.push_back(group.c_str());
    }
    source_ips_.clear();
    for (const auto &address : event.source_ips) {
        source_ips_.push_back(address.c_str());
    }
    view_ = vigil_audit_event{};
    view_.struct_size = sizeof(vigil_audit_event);
    view_.stage = event.stage;
    view_.source = event.source;
    view_.response_code = event.response_code;
    view_.request_received_unix_ns = event.request_received_unix_ns;
    view_.stage_unix_ns = event.stage_unix_ns;
    view_.audit_id = event.audit_id.c_str();
    view_.level = event.level.c_str();
    view_.verb = event.verb.c_str();
    view_.request_uri = event.request_uri.c_str();
    view_.user_agent = event.user_agent.c_str();
    view_.username = event.username.c_str();
    view_.user_uid = event.user_uid.c_str();
    view_.user_groups = groups_.data();
    view_.user_group_count = static_cast<uint32_t>(groups_.size());
    view_.service_account_namespace = event.service_account_namespace.c_str();
    view_.service_account_name = event.service_account_name.c_str();
    view_.pod_name = event.pod_name.c_str();
    view_.pod_uid = event.pod_uid.c_str();
    view_.impersonated_username = event.impersonated_username.c_str();
    view_.source_ips = source_ips_.data();
    view_.source_ip_count = static_cast<uint32_t>(source_ips_.size());
    view_.resource = event.resource.c_str();
    view_.subresource = event.subresource.c_str();
    view_.object_namespace = event.object_namespace.c_str();
    view_.object_name = event.object_name.c_str();
    view_.object_uid = event.object_uid.c_str();
    view_.api_group = event.api_group.c_str();
    view_.api_version = event.api_version.c_str();
    view_.raw_json = event.raw_json.c_str();
    view_.raw_json_size = event.raw_json.size();
    return view_;
}

} // namespace vigil::audit
