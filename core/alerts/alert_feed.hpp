// SPDX-License-Identifier: Apache-2.0
// Alerts handed on to the detectors that join findings (subscribers of
// VIGIL_KIND_ALERT_RAISED). An alert is raised from inside a detector's hook,
// so it cannot be handed on there and then: the feed keeps a copy, and the
// event thread delivers the copies after the drain pass, each to every
// subscriber but its raiser.
//
// Bounded: a storm of alerts must not grow memory without limit. What does
// not fit is counted and reported; the alert itself still goes to the outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {

class AlertFeed {
public:
    explicit AlertFeed(std::size_t capacity = default_capacity) : capacity_(capacity) {}
    static constexpr std::size_t default_capacity = 4096;

    // Whether any detector wants alerts; set once the detectors are subscribed.
    void set_wanted(bool wanted) { wanted_ = wanted; }
    // Whether @alert is to be handed on: someone wants it, it is a detector's
    // (not the sensor's own), and it was not raised in answer to a handed-on
    // alert (so two joining detectors cannot feed each other for ever).
    bool wants(const alerts::Alert &alert) const;

    // Keeps @alert for the next take(); false (and counted) when full.
    bool offer(alerts::Alert alert);
    // Moves what was offered since the last take into @out (cleared first).
    void take(std::vector<alerts::Alert> &out);

    bool empty() const { return queued_.empty(); }
    uint64_t dropped() const { return dropped_; }

private:
    std::size_t capacity_;
    bool wanted_ = false;
    std::vector<alerts::Alert> queued_;
    uint64_t dropped_ = 0;
};

} // namespace vigil::alerts
