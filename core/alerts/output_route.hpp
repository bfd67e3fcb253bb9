// One output as the alert pipeline sees it: its delivery worker, and the
// decision whether it wants a given alert.
#pragma once

#include <memory>

#include "core/alerts/alert.hpp"
#include "core/delivery/output_worker.hpp"

namespace vigil::alerts {

struct OutputRoute {
    std::unique_ptr<delivery::OutputWorker> worker;

    // The one place that decides whether this output receives @alert. Every
    // output takes every alert for now; per-output routing (a minimum
    // severity, lists of tactics to include or exclude) goes here, with its
    // settings as members of this struct.
    bool accepts(const Alert & /*alert*/) const { return true; }
};

} // namespace vigil::alerts
