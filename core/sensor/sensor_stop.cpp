// SPDX-License-Identifier: Apache-2.0
// Shutdown: what the kernel and the audit webhook already handed over is
// still owed to the detectors, held alerts go out, then everything is torn
// down in the reverse order of start-up, outputs last so they deliver.
#include "core/sensor/sensor.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "core/util/boot_clock.hpp"

namespace vigil::sensor {

void Sensor::shut_down()
{
    if (drain_ == nullptr) {
        return;
    }
    // No new audit events from here on; those already queued (and answered 200) are delivered below.
    if (audit_) {
        audit_->stop();
    }
    // What the kernel already wrote is still owed to the detectors.
    for (int round = 0; round < 16; ++round) {
        bool saturated = false;
        bool audit_more = drain_audit_events();
        if (drain_->drain_once(saturated) == 0 && !audit_more) {
            break;
        }
    }
    // Alerts still waiting for their pod go out now, enriched if it came, else unresolved.
    intake_->release_held_alerts(boot_time_now_ns(), true);
    deliver_raised_alerts();
    if (pod_watcher_) {
        pod_watcher_->stop();
    }
    pipeline_->flush_spool(); // so the counts below include what those rounds raised
    log_statistics(true);
    // Plugin instances, then BPF links and objects, then the drain loop, then outputs, then the libraries.
    for (auto &plugin : detectors_) {
        plugin->destroy_instance();
    }
    detectors_.clear();
    hook_dispatch_.reset();
    core_probes_.reset();
    drain_.reset();
    pipeline_->stop(std::chrono::seconds(5));
    // After the drain: what each output finally delivered, and what still waits (in the spool, for the next start).
    uint64_t pending = 0;
    auto outputs = describe_outputs(&pending);
    if (!outputs.empty()) {
        spdlog::info("outputs stopped: [{}]{}", outputs,
                     spool_ && pending > 0
                         ? "; the pending alerts stay in the spool " + spool_->path() + " for the next start"
                         : std::string());
    }
    outputs_.clear();
    plugin_libraries_.plugins.clear();
}

} // namespace vigil::sensor
