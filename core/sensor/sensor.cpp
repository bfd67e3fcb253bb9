// SPDX-License-Identifier: Apache-2.0
// The running sensor's loop, on the event thread: drain the rings and the
// audit queue, release held alerts, hand raised alerts to the detectors that
// join findings, and once a second the tick.
#include "core/sensor/sensor.hpp"

#include "core/util/boot_clock.hpp"

namespace vigil::sensor {

Sensor::Sensor(config::Config config, std::string plugin_directory, std::string node_name)
    : config_(std::move(config)), plugin_directory_(std::move(plugin_directory)), node_name_(std::move(node_name))
{
}

Sensor::~Sensor()
{
    shut_down();
}

void Sensor::run(const std::atomic<bool> &stop)
{
    auto interval_ms = static_cast<int>(config_.sensor.drain_interval_ms);
    while (!stop.load(std::memory_order_relaxed)) {
        // Between passes, when no hook holds a container view: the pods the watcher heard of reach the views.
        if (container_pods_) {
            container_pods_->refresh();
        }
        bool saturated = false;
        drain_->drain_once(saturated);
        if (drain_audit_events()) {
            saturated = true;
        }
        auto now = boot_time_now_ns();
        intake_->release_held_alerts(now);
        deliver_raised_alerts();
        if (now - last_tick_ns_ >= second_ns) {
            tick(now);
        }
        // What the pass raised for spooled outputs: one transaction for all of it.
        pipeline_->flush_spool();
        if (!saturated) {
            drain_->wait(interval_ms);
        }
    }
}

void Sensor::tick(uint64_t now_ns)
{
    last_tick_ns_ = now_ns;
    for (auto &plugin : detectors_) {
        if (plugin->hooks().on_tick != nullptr) {
            plugin->hooks().on_tick(plugin->instance(), now_ns);
        }
    }
    pipeline_->tick(now_ns);
    processes_->expire(now_ns);
    report_lost_events();
    report_refused_audit_events();
    report_unfed_alerts();
    every_syscall_cost_.report_when_due(now_ns);
    auto interval = uint64_t{config_.sensor.stats_interval_s} * second_ns;
    if (interval != 0 && now_ns - last_statistics_ns_ >= interval) {
        last_statistics_ns_ = now_ns;
        log_statistics(false);
    }
}

// One pass's share of the audit queue, on the event thread. Bounded like a
// ring's budget, so that a flood of audit events cannot starve the rings.
bool Sensor::drain_audit_events()
{
    if (!audit_) {
        return false;
    }
    constexpr std::size_t budget = 4096;
    bool more = audit_->take(audit_batch_, budget);
    auto now = boot_time_now_ns();
    for (const auto &event : audit_batch_) {
        dispatcher_->deliver_audit(audit_view_.view_of(event), now);
    }
    audit_batch_.clear();
    return more;
}

// The alerts the pass raised (and held ones released), handed to the
// detectors that join findings. Alerts they raise in answer go to the outputs
// but are not handed on again, so one round per pass is all there is.
void Sensor::deliver_raised_alerts()
{
    auto &feed = intake_->feed();
    if (feed.empty()) {
        return;
    }
    feed.take(raised_batch_);
    auto now = boot_time_now_ns();
    for (const auto &alert : raised_batch_) {
        dispatcher_->deliver_raised_alert(raised_view_.view_of(alert), alert.plugin, now);
    }
    raised_batch_.clear();
}

} // namespace vigil::sensor
