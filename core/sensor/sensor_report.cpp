// SPDX-License-Identifier: Apache-2.0
// Health and statistics: what was lost (ring buffers, refused audit batches,
// alerts the feed had no room for), raised as the sensor's own alerts and
// counted, and the periodic statistics line.
#include "core/sensor/sensor.hpp"

#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/util/boot_clock.hpp"

namespace vigil::sensor {
namespace {

std::string output_line(const std::string &name, const delivery::OutputStatistics &output)
{
    return name + " " + std::to_string(output.delivered) + " delivered " + std::to_string(output.rejected) +
           " rejected " + std::to_string(output.retried_sends) + " retried " +
           std::to_string(output.dropped_queue_full + output.dropped_spool_full + output.dropped_spool_error +
                          output.dropped_at_stop) +
           " dropped (" + std::to_string(output.dropped_spool_full) + " spool full) " + std::to_string(output.pending) +
           " pending";
}

} // namespace

void Sensor::report_lost_events()
{
    auto rings = drain_->statistics();
    reported_drops_.resize(rings.size(), 0);
    uint64_t total = 0;
    for (const auto &ring : rings) {
        total += ring.dropped;
    }
    services_->set_records_lost(total); // what plugins' records_lost() reports until the next count
    for (std::size_t index = 0; index < rings.size(); ++index) {
        const auto &ring = rings[index];
        if (ring.dropped <= reported_drops_[index]) {
            continue;
        }
        auto lost = ring.dropped - reported_drops_[index];
        reported_drops_[index] = ring.dropped;
        metrics_.counter("events_lost_" + ring.owner + "_" + ring.name, "records a full ring buffer had no room for")
            .add(lost);
        std::vector<std::string> kinds;
        for (std::size_t kind = 0; kind < ring.dropped_by_kind.size(); ++kind) {
            if (ring.dropped_by_kind[kind] != 0) {
                kinds.push_back("kind " + std::to_string(kind) + ": " + std::to_string(ring.dropped_by_kind[kind]));
            }
        }
        spdlog::warn("ring {} of {} was full: {} events lost ({} in all)", ring.name, ring.owner, lost, ring.dropped);
        alerts::Alert alert;
        alert.rule = "sensor.events_lost";
        alert.severity = VIGIL_SEVERITY_HIGH;
        alert.summary = std::to_string(lost) + " events lost: ring buffer " + ring.name + " of " + ring.owner +
                        " was full, so detections may have been missed";
        alert.evidence.push_back({"ring", ring.name});
        alert.evidence.push_back({"owner", ring.owner});
        alert.evidence.push_back({"lost", lost});
        alert.evidence.push_back({"lost_total", ring.dropped});
        alert.evidence.push_back({"lost_by_kind", kinds});
        intake_->submit_sensor_alert(std::move(alert));
    }
}

// Batches the webhook answered 503 because the queue was full: the API
// server retries them, but if it keeps failing its own buffer overflows and
// drops events, so this is raised like lost ring-buffer records.
void Sensor::report_refused_audit_events()
{
    if (!audit_) {
        return;
    }
    auto refused = audit_->take_new_refusals();
    if (refused == 0) {
        return;
    }
    metrics_
        .counter("audit_batches_refused_queue_full", "audit webhook batches answered 503 because the queue was full")
        .add(refused);
    spdlog::warn("audit queue full: {} webhook batches refused with 503 for the API server to retry", refused);
    alerts::Alert alert;
    alert.rule = "sensor.audit_events_refused";
    alert.severity = VIGIL_SEVERITY_MEDIUM;
    alert.summary = std::to_string(refused) + " audit event batches refused: the audit queue was full, so the API "
                                              "server must retry them; detections on audit events are delayed";
    alert.evidence.push_back({"refused_batches", refused});
    intake_->submit_sensor_alert(std::move(alert));
}

// A pass that raised more alerts than the feed to joining detectors holds:
// the alerts reached the outputs, but correlations on them may be missed.
void Sensor::report_unfed_alerts()
{
    auto dropped = intake_->feed().dropped();
    if (dropped <= reported_unfed_) {
        return;
    }
    auto missed = dropped - reported_unfed_;
    reported_unfed_ = dropped;
    metrics_.counter("alerts_not_handed_to_detectors", "alerts not handed to joining detectors: the feed was full")
        .add(missed);
    spdlog::warn("{} alerts were not handed to the detectors that join findings ({} in all): more than {} in one "
                 "pass; they reached the outputs, but chains built on them may be missed",
                 missed, dropped, alerts::AlertFeed::default_capacity);
}

void Sensor::log_statistics(bool final) const
{
    auto uptime_s = (boot_time_now_ns() - started_ns_) / second_ns;
    std::string rings;
    for (const auto &ring : drain_->statistics()) {
        rings += (rings.empty() ? "" : ", ") + ring.owner + "/" + ring.name + " " + std::to_string(ring.records) +
                 " records " + std::to_string(ring.dropped) + " lost";
    }
    const auto &router = router_->statistics();
    auto alerts = pipeline_->statistics();
    auto outputs = describe_outputs(nullptr);
    spdlog::info("{} after {}s: rings [{}]; records {} malformed {}; processes {} (evicted {}); containers {}; "
                 "alerts {} sent {} suppressed {} spool failures {}; outputs [{}]; kubernetes {}",
                 final ? "final statistics" : "statistics", uptime_s, rings, router.records, router.malformed,
                 processes_->size(), processes_->evictions(), containers_->size(), alerts.submitted, alerts.sent,
                 alerts.suppressed, alerts.spool_failures, outputs,
                 // A refused token shows here too, not only in the warning that may have scrolled away.
                 pod_watcher_ ? pod_watcher_->api_status().text() : std::string("off"));
    if (audit_) {
        spdlog::info("audit events: {}", audit_->describe());
    }
}

std::string Sensor::describe_outputs(uint64_t *pending) const
{
    std::string outputs;
    for (const auto &[name, output] : pipeline_->output_statistics()) {
        outputs += (outputs.empty() ? "" : ", ") + output_line(name, output);
        if (pending != nullptr) {
            *pending += output.pending;
        }
    }
    return outputs;
}

} // namespace vigil::sensor
