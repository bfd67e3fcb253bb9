// One output as the alert pipeline sees it: its delivery worker, and the
// route that decides which alerts it receives.
#pragma once

#include <memory>

#include "core/alerts/alert.hpp"
#include "core/alerts/route.hpp"
#include "core/delivery/output_worker.hpp"

namespace vigil::alerts {

struct OutputRoute {
    std::unique_ptr<delivery::OutputWorker> worker;
    Route route;

    bool accepts(const Alert &alert) const { return route.accepts(alert); }
};

} // namespace vigil::alerts
