// SPDX-License-Identifier: Apache-2.0
// What every Datadog request is formatted from: the alert, and the few
// settings that name where it came from.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/severity.hpp>

namespace vigil_datadog {

struct Formatting {
    std::string service = "vigil";       // the logs' `service`
    std::string source = "vigil";        // the logs' `ddsource`, the events' `source_type_name`
    std::string fallback_host;           // when an alert names no node
    std::vector<std::string> extra_tags; // "env:prod", added to every alert's tags
};

// "info" ... "critical", "unknown" beyond: the alert JSON's names.
using vigil::severity_name;

// The node the alert happened on, or the fallback.
std::string_view host_of(const vigil_alert &alert, const Formatting &formatting);

} // namespace vigil_datadog
