// SPDX-License-Identifier: Apache-2.0
// One check per rule on a final-stage audit event. README.md gives each rule's reasoning.
#include <string_view>

#include <vigil/json_text.hpp>

#include "detector.hpp"

namespace vigil_sa_abuse {
namespace {

bool one_of(std::string_view value, std::initializer_list<std::string_view> options)
{
    for (auto option : options) {
        if (value == option) {
            return true;
        }
    }
    return false;
}

} // namespace

void SaAbuseDetector::check_pods_exec(const vigil::Event &event, const vigil_audit_event &audit,
                                      const std::string &account)
{
    (void)account;
    if (std::string_view(audit.verb) != "create" || std::string_view(audit.resource) != "pods" ||
        !one_of(audit.subresource, {"exec", "attach"})) {
        return;
    }
    if (settings_.pods_exec_ignore_users.matches(audit.username)) {
        return;
    }
    std::string pod_uid = audit.object_uid[0] != '\0' ? std::string(audit.object_uid)
                                                      : exec_join_.pod_uid(audit.object_namespace, audit.object_name);
    if (settings_.enabled(Rule::pods_exec)) {
        alert_pods_exec(event, audit, pod_uid);
    }
    if (settings_.enabled(Rule::pods_exec_process) && !pod_uid.empty()) {
        ExecRequest request;
        request.at_ns = host().now_ns();
        request.pod_uid = pod_uid;
        request.user = audit.username;
        request.pod = std::string(audit.object_namespace) + "/" + audit.object_name;
        request.request_uri = audit.request_uri;
        request.audit_id = audit.audit_id;
        if (auto process = exec_join_.add_request(request)) {
            alert_pods_exec_process(event, request, *process);
        }
    }
}

void SaAbuseDetector::check_rbac_change(const vigil::Event &event, const vigil_audit_event &audit,
                                        const std::string &account)
{
    if (!settings_.enabled(Rule::rbac_change) || std::string_view(audit.api_group) != "rbac.authorization.k8s.io" ||
        !one_of(audit.verb, {"create", "update", "patch"}) ||
        !one_of(audit.resource, {"roles", "rolebindings", "clusterroles", "clusterrolebindings"}) ||
        settings_.rbac_change_ignore_accounts.matches(account)) {
        return;
    }
    // Only Request-level audit policies record the body; with Metadata there is nothing to read.
    bool grants_cluster_admin = false;
    if (std::string_view(audit.resource) == "clusterrolebindings") {
        std::string_view raw(audit.raw_json, audit.raw_json_size);
        auto role = vigil::json::string_at(raw, {"requestObject", "roleRef", "name"});
        grants_cluster_admin = role && *role == "cluster-admin";
    }
    alert_rbac_change(event, audit, account, grants_cluster_admin);
}

void SaAbuseDetector::check_discovery(const vigil::Event &event, const vigil_audit_event &audit,
                                      const std::string &account)
{
    if (settings_.discovery_ignore_accounts.matches(account)) {
        return;
    }
    const auto now = host().now_ns();
    if (settings_.enabled(Rule::access_review_burst) && std::string_view(audit.verb) == "create" &&
        std::string_view(audit.api_group) == "authorization.k8s.io" &&
        one_of(audit.resource, {"selfsubjectaccessreviews", "selfsubjectrulesreviews"})) {
        auto burst = access_reviews_.add(account, audit.resource, now);
        if (!burst.empty()) {
            alert_burst(Rule::access_review_burst, event, audit, account, burst);
        }
    }
    // Secrets read outside the account's own namespace (a cluster-wide list
    // counts too): an application reads its own secrets, not its neighbours'.
    if (settings_.enabled(Rule::secret_enumeration) && std::string_view(audit.resource) == "secrets" &&
        std::string_view(audit.subresource).empty() && one_of(audit.verb, {"get", "list"}) &&
        std::string_view(audit.object_namespace) != std::string_view(audit.service_account_namespace)) {
        std::string_view where = audit.object_namespace[0] != '\0' ? audit.object_namespace : "(cluster-wide)";
        auto burst = secret_reads_.add(account, where, now);
        if (!burst.empty()) {
            alert_burst(Rule::secret_enumeration, event, audit, account, burst);
        }
    }
}

void SaAbuseDetector::check_token_source(const vigil::Event &event, const vigil_audit_event &audit,
                                         const std::string &account)
{
    auto address = connection_address(audit);
    if (!settings_.enabled(Rule::token_foreign_source) || audit.pod_uid[0] == '\0' || address.empty() ||
        settings_.token_source_ignore_accounts.matches(account)) {
        return;
    }
    if (token_sources_.observe(audit.pod_uid, address, host().now_ns()) == TokenSources::Verdict::foreign) {
        alert_token_source(event, audit, account, token_sources_.learned(audit.pod_uid));
    }
}

void SaAbuseDetector::check_unusual_call(const vigil::Event &event, const vigil_audit_event &audit,
                                         const std::string &account)
{
    if (!settings_.enabled(Rule::unusual_call) || settings_.unusual_call_ignore_accounts.matches(account)) {
        return;
    }
    const auto now = host().now_ns();
    const auto shape = shape_of(audit);
    if (!baseline_->is_usual(account, shape, now)) {
        alert_unusual_call(event, audit, account, shape);
    }
    baseline_->observe(account, shape, now);
}

} // namespace vigil_sa_abuse
