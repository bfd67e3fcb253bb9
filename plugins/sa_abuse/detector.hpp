// SPDX-License-Identifier: Apache-2.0
// The sa_abuse detector: judges each final-stage Kubernetes audit event with
// every rule (rule_checks.cpp), pairs pods/exec requests with the process
// they start on this node (exec_join.hpp), raises the alerts (alerts.cpp),
// and chains its audit-side findings with other detectors' findings in the
// same pod (chain.hpp, chain_alert.cpp).
#pragma once

#include <memory>
#include <string>

#include <vigil/alert.hpp>
#include <vigil/detector.hpp>

#include "audit_alert.hpp"
#include "baseline.hpp"
#include "burst_counter.hpp"
#include "chain.hpp"
#include "exec_join.hpp"
#include "settings.hpp"
#include "token_sources.hpp"

namespace vigil_sa_abuse {

class SaAbuseDetector final : public vigil::Detector {
public:
    SaAbuseDetector(vigil::Host host, const vigil::Config &config);

    void on_event(const vigil::Event &event) override;

private:
    void on_audit(const vigil::Event &event, const vigil_audit_event &audit);
    void on_exec(const vigil::Event &event);
    void on_raised_alert(const vigil::Event &event, const vigil_raised_alert &raised);
    void learn_pod_names(const vigil_audit_event &audit);

    // rule_checks.cpp: one per rule; @account is "" for a user that is not a service account.
    void check_pods_exec(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account);
    void check_rbac_change(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account);
    void check_discovery(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account);
    void check_token_source(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account);
    void check_unusual_call(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account);

    // alerts.cpp. emit_audit_alert() emits an audit-side alert and hands it to the chain rule.
    void emit_audit_alert(AuditAlert &alert, const vigil::Event &event, const vigil_audit_event &audit,
                          const std::string &account, const char *dedup_key);
    void alert_pods_exec(const vigil::Event &event, const vigil_audit_event &audit, const std::string &pod_uid);
    void alert_pods_exec_process(const vigil::Event &event, const ExecRequest &request, const ExecProcess &process);
    void alert_rbac_change(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account,
                           bool grants_cluster_admin);
    void alert_burst(Rule rule, const vigil::Event &event, const vigil_audit_event &audit, const std::string &account,
                     const std::vector<std::string> &namespaces);
    void alert_token_source(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account,
                            const std::vector<std::string> &learned);
    void alert_unusual_call(const vigil::Event &event, const vigil_audit_event &audit, const std::string &account,
                            const CallShape &shape);
    // chain_alert.cpp: @event is the one being handled, audit event or raised alert.
    void alert_chain(const vigil::Event &event, const Chain &chain);

    Settings settings_;
    BurstCounter access_reviews_;
    BurstCounter secret_reads_;
    TokenSources token_sources_;
    std::unique_ptr<Baseline> baseline_;
    ExecJoin exec_join_;
    ChainJoin chain_;
    vigil::Counter early_stages_; // RequestReceived and ResponseStarted events, skipped
};

// The evidence every audit-side alert carries. Strings are referenced: @audit
// and @account must outlive the alert's emit().
void add_call_evidence(AuditAlert &alert, const vigil_audit_event &audit, const std::string &account);

} // namespace vigil_sa_abuse
