// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <algorithm>
#include <string_view>

#include "chain_finding.hpp"

namespace vigil_sa_abuse {

SaAbuseDetector::SaAbuseDetector(vigil::Host host, const vigil::Config &config)
    : vigil::Detector(host), settings_(read_settings(config)),
      access_reviews_(settings_.discovery_window_ns, settings_.access_review_threshold, settings_.max_tracked),
      secret_reads_(settings_.discovery_window_ns, settings_.secret_read_threshold, settings_.max_tracked),
      token_sources_(settings_.token_source_learn_calls, settings_.max_tracked),
      baseline_(std::make_unique<WarmupBaseline>(settings_.warmup_ns, settings_.max_tracked,
                                                 settings_.max_calls_per_account)),
      exec_join_(settings_.exec_join_window_ns, settings_.max_tracked),
      chain_(settings_.chain_window_ns, settings_.max_tracked),
      early_stages_(host.counter("early_stage_events", "Audit events skipped for not being at ResponseComplete or "
                                                       "Panic (the final stage counts each call once)"))
{
}

void SaAbuseDetector::on_event(const vigil::Event &event)
{
    if (const auto *audit = event.audit()) {
        on_audit(event, *audit);
    } else if (const auto *raised = event.raised_alert()) {
        on_raised_alert(event, *raised);
    } else if (event.kind() == VIGIL_KIND_PROCESS_EXEC) {
        on_exec(event);
    }
}

void SaAbuseDetector::on_audit(const vigil::Event &event, const vigil_audit_event &audit)
{
    if (!is_final_stage(audit)) {
        early_stages_.add();
        return;
    }
    learn_pod_names(audit);
    const std::string account = account_of(audit);
    check_pods_exec(event, audit, account); // any user
    if (account.empty()) {
        return; // the other rules are about service accounts
    }
    check_rbac_change(event, audit, account);
    check_discovery(event, audit, account);
    check_token_source(event, audit, account);
    check_unusual_call(event, audit, account);
}

void SaAbuseDetector::learn_pod_names(const vigil_audit_event &audit)
{
    // A bound token's claims name its pod, which lives in the account's namespace.
    exec_join_.learn_pod(audit.service_account_namespace, audit.pod_name, audit.pod_uid);
    if (std::string_view(audit.resource) == "pods" && std::string_view(audit.subresource).empty()) {
        exec_join_.learn_pod(audit.object_namespace, audit.object_name, audit.object_uid);
    }
}

void SaAbuseDetector::on_exec(const vigil::Event &event)
{
    if (!settings_.enabled(Rule::pods_exec_process)) {
        return;
    }
    const auto *container = event.container();
    const auto *process = event.process();
    if (container == nullptr || process == nullptr || container->pod_uid == nullptr || container->pod_uid[0] == '\0') {
        return;
    }
    // An exec through the API server is started by the runtime, from outside
    // the container; a process whose parent is in the container is the
    // container's own doing.
    const auto &header = event.header();
    if (const auto *parent = host().find_process(header.parent_tgid)) {
        if (parent->cgroup_id == header.cgroup_id) {
            return;
        }
    }
    ExecProcess started;
    started.at_ns = host().now_ns();
    started.pod_uid = container->pod_uid;
    started.exe = process->exe != nullptr ? process->exe : "";
    started.cmdline = process->cmdline != nullptr ? process->cmdline : "";
    started.container_id = container->id != nullptr ? container->id : "";
    started.pid = process->tgid;
    if (auto request = exec_join_.add_process(started)) {
        alert_pods_exec_process(event, *request, started);
    }
}

void SaAbuseDetector::on_raised_alert(const vigil::Event &event, const vigil_raised_alert &raised)
{
    // Only findings in a pod can meet its account's calls: a host process's
    // alert names no pod, and this plugin's own are never handed back.
    if (!settings_.enabled(Rule::chain) || raised.plugin == nullptr || !names_a_pod(raised)) {
        return;
    }
    const auto &plugins = settings_.chain_container_plugins;
    if (std::find(plugins.begin(), plugins.end(), std::string_view(raised.plugin)) == plugins.end()) {
        return;
    }
    if (auto chain = chain_.add_container(container_finding(raised, host().now_ns()))) {
        alert_chain(event, *chain);
    }
}

} // namespace vigil_sa_abuse
