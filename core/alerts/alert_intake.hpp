// SPDX-License-Identifier: Apache-2.0
// Where every alert enters the alert stage, a detector's or the sensor's own:
// its context is filled in, it is enriched with its pod (or held until the
// pod is known), submitted to the pipeline, and, when a detector joins
// findings, kept for the feed that hands it on. Event thread only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/alerts/alert.hpp"
#include "core/alerts/alert_context.hpp"
#include "core/alerts/alert_feed.hpp"
#include "core/alerts/alert_pipeline.hpp"
#include "core/alerts/pod_enricher.hpp"

namespace vigil::alerts {

class AlertIntake {
public:
    AlertIntake(const AlertContext &context, AlertPipeline &pipeline) : context_(context), pipeline_(pipeline) {}

    // With an API server: container alerts get their pod's metadata, and wait
    // (off the event path) for a pod not known yet. nullptr: cgroup fields only.
    void enrich_with(PodEnricher *enricher) { enricher_ = enricher; }

    // A detector's alert, about @subject.
    void submit(Alert alert, const AlertSubject &subject);
    // An alert of the sensor's own (plugin "sensor"), e.g. events lost.
    void submit_sensor_alert(Alert alert);

    // Submits the held alerts whose pod became known or whose wait ran out;
    // every held alert when @final. Cheap when none is held: call every pass.
    void release_held_alerts(uint64_t now_boot_ns, bool final = false);

    // The alerts to hand on to detectors that join findings (admitted ones only:
    // a repeat the dedup window holds back is not a new finding).
    AlertFeed &feed() { return feed_; }

private:
    void enrich_and_submit(Alert alert);
    void pass_on(Alert alert, uint64_t now_boot_ns);

    const AlertContext &context_;
    AlertPipeline &pipeline_;
    PodEnricher *enricher_ = nullptr;
    std::vector<Alert> released_; // reused by release_held_alerts
    AlertFeed feed_;
};

} // namespace vigil::alerts
