// SPDX-License-Identifier: Apache-2.0
#include "audit_call.hpp"

namespace vigil_sa_abuse {

bool is_final_stage(const vigil_audit_event &audit)
{
    return audit.stage == VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE || audit.stage == VIGIL_AUDIT_STAGE_PANIC;
}

std::string account_of(const vigil_audit_event &audit)
{
    std::string_view ns = audit.service_account_namespace;
    std::string_view name = audit.service_account_name;
    if (ns.empty() || name.empty()) {
        return {};
    }
    std::string account(ns);
    account += ':';
    account += name;
    return account;
}

std::string_view connection_address(const vigil_audit_event &audit)
{
    if (audit.source_ip_count == 0 || audit.source_ips == nullptr) {
        return {};
    }
    const char *last = audit.source_ips[audit.source_ip_count - 1];
    return last != nullptr ? std::string_view(last) : std::string_view();
}

CallShape shape_of(const vigil_audit_event &audit)
{
    return CallShape{audit.verb, audit.resource, audit.subresource, audit.object_namespace};
}

std::string describe(const CallShape &shape)
{
    std::string text = shape.verb + " " + (shape.resource.empty() ? std::string("(non-resource)") : shape.resource);
    if (!shape.subresource.empty()) {
        text += "/" + shape.subresource;
    }
    text += shape.object_namespace.empty() ? std::string(" (cluster-wide)") : " -n " + shape.object_namespace;
    return text;
}

bool reads_config_elsewhere(const CallShape &shape, std::string_view account_namespace)
{
    bool read = shape.verb == "get" || shape.verb == "list" || shape.verb == "watch";
    bool config = shape.resource == "secrets" || shape.resource == "configmaps";
    return read && config && shape.subresource.empty() && shape.object_namespace != account_namespace;
}

} // namespace vigil_sa_abuse
