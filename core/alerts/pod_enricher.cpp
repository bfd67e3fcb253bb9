// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/pod_enricher.hpp"

#include <algorithm>

namespace vigil::alerts {

void apply_pod_metadata(KubernetesContext &k8s, const kubernetes::PodMetadata &pod)
{
    k8s.namespace_name = pod.namespace_name;
    k8s.pod = pod.name;
    k8s.pod_uid = pod.uid;
    k8s.workload_kind = pod.workload_kind;
    k8s.workload_name = pod.workload_name;
    k8s.template_hash = pod.template_hash;
    k8s.service_account = pod.service_account;
    k8s.labels = pod.labels;
    k8s.source = "api";
}

PodEnricher::PodEnricher(const kubernetes::PodCache &cache, uint64_t wait_ns, std::size_t max_held)
    : cache_(cache), wait_ns_(wait_ns), max_held_(max_held)
{
}

bool PodEnricher::try_enrich(Alert &alert) const
{
    auto pod = cache_.find(alert.container->id, alert.k8s.pod_uid);
    if (pod == nullptr) {
        return false;
    }
    apply_pod_metadata(alert.k8s, *pod);
    return true;
}

void PodEnricher::mark_unresolved(Alert &alert)
{
    alert.k8s.source = "unresolved";
    ++statistics_.unresolved;
}

bool PodEnricher::enrich_or_hold(Alert &alert, uint64_t now_ns)
{
    if (!alert.container) {
        return true; // a host process: no pod to look for
    }
    if (try_enrich(alert)) {
        ++statistics_.enriched;
        return true;
    }
    if (wait_ns_ == 0 || held_.size() >= max_held_) {
        mark_unresolved(alert);
        return true;
    }
    auto deadline = now_ns + wait_ns_;
    earliest_deadline_ns_ = std::min(earliest_deadline_ns_, deadline);
    held_.push_back(Held{std::move(alert), deadline});
    // Looked up just now: only a change of the cache can make a difference.
    checked_version_ = cache_.version();
    return false;
}

void PodEnricher::release(uint64_t now_ns, std::vector<Alert> &ready)
{
    if (held_.empty()) {
        return;
    }
    auto version = cache_.version();
    if (version == checked_version_ && now_ns < earliest_deadline_ns_) {
        return; // nothing new to find, and no wait ran out
    }
    checked_version_ = version;
    earliest_deadline_ns_ = UINT64_MAX;
    std::size_t kept = 0;
    for (auto &entry : held_) {
        if (try_enrich(entry.alert)) {
            ++statistics_.enriched_after_wait;
            ready.push_back(std::move(entry.alert));
        } else if (now_ns >= entry.deadline_ns) {
            mark_unresolved(entry.alert);
            ready.push_back(std::move(entry.alert));
        } else {
            earliest_deadline_ns_ = std::min(earliest_deadline_ns_, entry.deadline_ns);
            if (&held_[kept] != &entry) {
                held_[kept] = std::move(entry);
            }
            ++kept;
        }
    }
    held_.resize(kept);
}

void PodEnricher::release_all(std::vector<Alert> &ready)
{
    for (auto &entry : held_) {
        if (try_enrich(entry.alert)) {
            ++statistics_.enriched_after_wait;
        } else {
            mark_unresolved(entry.alert);
        }
        ready.push_back(std::move(entry.alert));
    }
    held_.clear();
    earliest_deadline_ns_ = UINT64_MAX;
}

} // namespace vigil::alerts
