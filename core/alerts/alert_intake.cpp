// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/alert_intake.hpp"

#include "core/util/boot_clock.hpp"

namespace vigil::alerts {

void AlertIntake::submit(Alert alert, const AlertSubject &subject)
{
    context_.fill(alert, subject);
    enrich_and_submit(std::move(alert));
}

void AlertIntake::submit_sensor_alert(Alert alert)
{
    alert.plugin = "sensor";
    context_.fill(alert, AlertSubject{});
    enrich_and_submit(std::move(alert));
}

void AlertIntake::enrich_and_submit(Alert alert)
{
    auto now = boot_time_now_ns();
    if (enricher_ != nullptr && !enricher_->enrich_or_hold(alert, now)) {
        return; // held until its pod is known or the wait runs out
    }
    pass_on(std::move(alert), now);
}

void AlertIntake::pass_on(Alert alert, uint64_t now_boot_ns)
{
    if (!feed_.wants(alert)) {
        pipeline_.submit(std::move(alert), now_boot_ns);
        return;
    }
    auto copy = alert;
    if (pipeline_.submit(std::move(alert), now_boot_ns)) {
        feed_.offer(std::move(copy)); // counted by the feed when full
    }
}

void AlertIntake::release_held_alerts(uint64_t now_boot_ns, bool final)
{
    if (enricher_ == nullptr || enricher_->empty()) {
        return;
    }
    released_.clear();
    if (final) {
        enricher_->release_all(released_);
    } else {
        enricher_->release(now_boot_ns, released_);
    }
    for (auto &alert : released_) {
        pass_on(std::move(alert), now_boot_ns);
    }
    released_.clear();
}

} // namespace vigil::alerts
