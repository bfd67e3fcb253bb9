// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/alert_feed.hpp"

#include <utility>

namespace vigil::alerts {

bool AlertFeed::wants(const alerts::Alert &alert) const
{
    return wanted_ && !alert.answers_raised_alert && alert.plugin != "sensor" && !alert.repeat;
}

bool AlertFeed::offer(alerts::Alert alert)
{
    if (queued_.size() >= capacity_) {
        ++dropped_;
        return false;
    }
    queued_.push_back(std::move(alert));
    return true;
}

void AlertFeed::take(std::vector<alerts::Alert> &out)
{
    out.clear();
    out.swap(queued_);
}

} // namespace vigil::alerts
