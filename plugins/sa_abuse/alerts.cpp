// SPDX-License-Identifier: Apache-2.0
// The alerts: a summary, the rule's ATT&CK mapping and the evidence an
// analyst needs to tell a legitimate call from abuse without the audit log.
// Every audit-side alert goes out through emit_audit_alert(), which also hands it to
// the chain rule (chain_alert.cpp).
#include <string>
#include <utility>
#include <vector>

#include <vigil/alert.hpp>
#include <vigil/attack.hpp>

#include "detector.hpp"

namespace vigil_sa_abuse {
namespace {

std::vector<const char *> pointers(const std::vector<std::string> &items)
{
    std::vector<const char *> out;
    for (const auto &item : items) {
        out.push_back(item.c_str());
    }
    return out;
}

} // namespace

void add_call_evidence(AuditAlert &alert, const vigil_audit_event &audit, const std::string &account)
{
    alert.evidence("user", audit.username);
    if (!account.empty()) {
        alert.evidence("service_account", account.c_str());
    }
    alert.evidence("verb", audit.verb)
        .evidence("resource", audit.resource)
        .evidence("subresource", audit.subresource)
        .evidence("object_namespace", audit.object_namespace)
        .evidence("object_name", audit.object_name)
        .evidence("api_group", audit.api_group)
        .evidence("request_uri", audit.request_uri)
        .evidence("user_agent", audit.user_agent)
        .evidence_list("source_ips", audit.source_ips, audit.source_ip_count)
        .evidence("response_code", static_cast<int64_t>(audit.response_code))
        .evidence("audit_id", audit.audit_id);
    if (audit.pod_uid[0] != '\0') {
        alert.evidence("token_pod_name", audit.pod_name).evidence("token_pod_uid", audit.pod_uid);
    }
    if (audit.impersonated_username[0] != '\0') {
        alert.evidence("impersonated_user", audit.impersonated_username);
    }
}

void SaAbuseDetector::emit_audit_alert(AuditAlert &alert, const vigil::Event &event, const vigil_audit_event &audit,
                                       const std::string &account, const char *dedup_key)
{
    alert.alert().event(event).dedup_key(dedup_key);
    if (alert.alert().emit(host()) != 0 || account.empty() || !settings_.enabled(Rule::chain)) {
        return; // the chain's audit side is a service account's call (a person's exec is not)
    }
    // The caller's own pod, from its bound token; it lives in the account's namespace.
    Finding &finding = alert.finding();
    finding.at_ns = host().now_ns();
    finding.account = account;
    finding.pod_uid = audit.pod_uid;
    if (audit.pod_uid[0] != '\0') {
        finding.pod_namespace = audit.service_account_namespace;
        finding.pod_name = audit.pod_name;
    }
    if (auto chain = chain_.add_audit(std::move(finding))) {
        alert_chain(event, *chain);
    }
}

void SaAbuseDetector::alert_pods_exec(const vigil::Event &event, const vigil_audit_event &audit,
                                      const std::string &pod_uid)
{
    const auto &row = rule_table.at(Rule::pods_exec);
    AuditAlert alert(row, row.severity);
    alert.attack(row.tactics, row.techniques);
    alert.summary("%s ran a command in pod %s/%s through the API server (%s)", audit.username, audit.object_namespace,
                  audit.object_name, audit.subresource);
    const std::string account = account_of(audit);
    add_call_evidence(alert, audit, account);
    if (!pod_uid.empty()) {
        alert.evidence("pod_uid", pod_uid.c_str());
    }
    emit_audit_alert(alert, event, audit, account, audit.audit_id);
}

void SaAbuseDetector::alert_pods_exec_process(const vigil::Event &event, const ExecRequest &request,
                                              const ExecProcess &process)
{
    const auto &row = rule_table.at(Rule::pods_exec_process);
    vigil::Alert alert(row.id, row.severity);
    alert.attack(row.tactics, row.techniques);
    alert.summary("%s exec'd into pod %s, which started %s on this node", request.user.c_str(), request.pod.c_str(),
                  process.exe.c_str());
    alert.evidence("user", request.user.c_str())
        .evidence("pod", request.pod.c_str())
        .evidence("pod_uid", request.pod_uid.c_str())
        .evidence("request_uri", request.request_uri.c_str())
        .evidence("audit_id", request.audit_id.c_str())
        .evidence("exe", process.exe.c_str())
        .evidence("cmdline", process.cmdline.c_str())
        .evidence("pid", process.pid)
        .evidence("container_id", process.container_id.c_str())
        .event(event)
        .dedup_key(request.audit_id.c_str());
    alert.emit(host());
}

void SaAbuseDetector::alert_rbac_change(const vigil::Event &event, const vigil_audit_event &audit,
                                        const std::string &account, bool grants_cluster_admin)
{
    const auto &row = rule_table.at(Rule::rbac_change);
    AuditAlert alert(row, grants_cluster_admin ? VIGIL_SEVERITY_CRITICAL : row.severity);
    alert.attack(row.tactics, row.techniques);
    alert.summary("service account %s did %s on %s %s%s%s", account.c_str(), audit.verb, audit.resource,
                  audit.object_namespace[0] != '\0' ? audit.object_namespace : "",
                  audit.object_namespace[0] != '\0' ? "/" : "", audit.object_name);
    add_call_evidence(alert, audit, account);
    alert.evidence_bool("grants_cluster_admin", grants_cluster_admin);
    emit_audit_alert(alert, event, audit, account, audit.audit_id);
}

void SaAbuseDetector::alert_burst(Rule rule, const vigil::Event &event, const vigil_audit_event &audit,
                                  const std::string &account, const std::vector<std::string> &labels)
{
    const auto &row = rule_table.at(rule);
    AuditAlert alert(row, row.severity);
    alert.attack(row.tactics, row.techniques);
    const auto window_s = static_cast<unsigned long long>(settings_.discovery_window_ns / 1'000'000'000ull);
    if (rule == Rule::access_review_burst) {
        alert.summary("service account %s asked what it may do %zu times within %llu s", account.c_str(), labels.size(),
                      window_s);
    } else {
        alert.summary("service account %s read secrets outside its namespace %zu times within %llu s", account.c_str(),
                      labels.size(), window_s);
    }
    add_call_evidence(alert, audit, account);
    auto label_pointers = pointers(labels);
    alert.evidence("calls_in_window", static_cast<uint64_t>(labels.size()))
        .evidence("window_s", static_cast<uint64_t>(window_s))
        .evidence_list(rule == Rule::access_review_burst ? "reviews" : "namespaces", label_pointers.data(),
                       static_cast<uint32_t>(label_pointers.size()));
    emit_audit_alert(alert, event, audit, account, account.c_str());
}

void SaAbuseDetector::alert_token_source(const vigil::Event &event, const vigil_audit_event &audit,
                                         const std::string &account, const std::vector<std::string> &learned)
{
    const auto &row = rule_table.at(Rule::token_foreign_source);
    AuditAlert alert(row, row.severity);
    alert.attack(row.tactics, row.techniques);
    std::string address(connection_address(audit));
    alert.summary("the token of pod %s/%s (service account %s) was used from %s, not from the pod's address",
                  audit.service_account_namespace, audit.pod_name, account.c_str(), address.c_str());
    add_call_evidence(alert, audit, account);
    auto learned_pointers = pointers(learned);
    alert.evidence("foreign_address", address.c_str())
        .evidence_list("learned_addresses", learned_pointers.data(), static_cast<uint32_t>(learned_pointers.size()));
    std::string key = std::string(audit.pod_uid) + " " + address;
    emit_audit_alert(alert, event, audit, account, key.c_str());
}

void SaAbuseDetector::alert_unusual_call(const vigil::Event &event, const vigil_audit_event &audit,
                                         const std::string &account, const CallShape &shape)
{
    // Reading secrets or configmaps in another namespace is also discovery, and worth more attention.
    const bool discovery = reads_config_elsewhere(shape, audit.service_account_namespace);
    const auto &row = rule_table.at(Rule::unusual_call);
    AuditAlert alert(row, discovery ? VIGIL_SEVERITY_MEDIUM : row.severity);
    alert.attack(row.tactics, row.techniques);
    if (discovery) {
        alert.tactic(vigil::attack::TA0007).technique(vigil::attack::T1613);
    }
    std::string call = describe(shape);
    alert.summary("service account %s made a call it never made during its warm-up: %s", account.c_str(), call.c_str());
    add_call_evidence(alert, audit, account);
    alert.evidence("call", call.c_str());
    std::string key = account + " " + call;
    emit_audit_alert(alert, event, audit, account, key.c_str());
}

} // namespace vigil_sa_abuse
