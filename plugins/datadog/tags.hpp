// SPDX-License-Identifier: Apache-2.0
// The tags an alert carries into Datadog, so that a monitor can route on them:
// mitre_tactic:TA0004, mitre_technique:T1611, rule, severity, and the
// container, pod, namespace and node where known.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formatting.hpp"

namespace vigil_datadog {

// The longest tag Datadog keeps whole.
inline constexpr std::size_t max_tag_length = 200;

// "key:value" with the value reduced to what Datadog keeps in a tag (letters,
// digits, _ - : . /; anything else becomes _) and cut at max_tag_length.
std::string make_tag(std::string_view key, std::string_view value);

// Every tag of @alert, the configured extra tags last.
std::vector<std::string> alert_tags(const vigil_alert &alert, const Formatting &formatting);

} // namespace vigil_datadog
