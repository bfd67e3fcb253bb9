// SPDX-License-Identifier: Apache-2.0
// An alert ready for outputs: rendered to JSON once, however many outputs
// receive it, and viewed through the ABI's vigil_alert. Shared read-only
// between the outputs' delivery threads.
#pragma once

#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {

class RenderedAlert {
public:
    explicit RenderedAlert(alerts::Alert alert);

    // The view points into this object's members: it must not be copied or moved.
    RenderedAlert(const RenderedAlert &) = delete;
    RenderedAlert &operator=(const RenderedAlert &) = delete;

    const alerts::Alert &alert() const { return alert_; }
    const std::string &json() const { return json_; }
    // Valid as long as this object is.
    const vigil_alert *view() const { return &view_; }

private:
    alerts::Alert alert_;
    std::string json_;
    std::string finding_key_;
    std::vector<vigil_attack_ref> tactics_;
    std::vector<vigil_attack_ref> techniques_;
    vigil_alert view_{};
};

} // namespace vigil::alerts
