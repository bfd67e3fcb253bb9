// SPDX-License-Identifier: Apache-2.0
// The ABI view (vigil_raised_alert) of an Alert, for the detectors that
// subscribe to other detectors' alerts: pointers into the alert and into
// arrays this object owns, valid while both live, which is one dispatch.
#pragma once

#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {

class RaisedAlertView {
public:
    // Reused across alerts, so that the arrays' storage is kept.
    const vigil_raised_alert &view_of(const Alert &alert);

private:
    vigil_raised_alert view_{};
    std::string finding_key_;
    std::vector<vigil_attack_ref> tactics_;
    std::vector<vigil_attack_ref> techniques_;
    std::vector<vigil_evidence_field> evidence_;
    // One pointer array per string-list field, each kept whole while the view lives.
    std::vector<std::vector<const char *>> lists_;
};

} // namespace vigil::alerts
