// SPDX-License-Identifier: Apache-2.0
// Puts pod metadata on container alerts, without losing the alert raised in
// the first moments of a container, before the API has reported its pod.
//
// Such an alert is not submitted at once: it waits in a small, bounded holding
// list that the sensor's loop checks on every pass (release()), until its pod
// is known (submitted enriched, k8s.source "api") or the wait ran out
// (submitted as it was, k8s.source "unresolved"). The event thread never
// waits: holding is a move into a vector, checking is a cache lookup, and
// the lookups are skipped while the cache has not changed.
//
// Event thread only (the cache is the thread-safe part).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/alerts/alert.hpp"
#include "core/kubernetes/pod_cache.hpp"

namespace vigil::alerts {

// Fills @k8s from @pod; k8s.source becomes "api". The node stays the sensor's.
void apply_pod_metadata(KubernetesContext &k8s, const kubernetes::PodMetadata &pod);

class PodEnricher {
public:
    // @max_held: alerts waiting at once; beyond it, an alert is sent unresolved at once.
    PodEnricher(const kubernetes::PodCache &cache, uint64_t wait_ns, std::size_t max_held);

    // For an alert about to be submitted. Returns true when it may be
    // submitted now (enriched if its pod is known, or not a container's);
    // false when it was moved into the holding list.
    bool enrich_or_hold(Alert &alert, uint64_t now_ns);

    // Appends to @ready the held alerts whose pod became known or whose wait ran out.
    void release(uint64_t now_ns, std::vector<Alert> &ready);
    // Appends every held alert, enriched if possible, else unresolved (the sensor is stopping).
    void release_all(std::vector<Alert> &ready);

    bool empty() const { return held_.empty(); }
    std::size_t held() const { return held_.size(); }

    struct Statistics {
        uint64_t enriched = 0; // at once
        uint64_t enriched_after_wait = 0;
        uint64_t unresolved = 0;
    };
    const Statistics &statistics() const { return statistics_; }

private:
    struct Held {
        Alert alert;
        uint64_t deadline_ns = 0;
    };
    bool try_enrich(Alert &alert) const;
    void mark_unresolved(Alert &alert);

    const kubernetes::PodCache &cache_;
    uint64_t wait_ns_;
    std::size_t max_held_;
    std::vector<Held> held_;
    uint64_t checked_version_ = 0; // the cache's version at the last lookup of the held alerts
    uint64_t earliest_deadline_ns_ = UINT64_MAX;
    Statistics statistics_;
};

} // namespace vigil::alerts
