// SPDX-License-Identifier: Apache-2.0
// Syslog facilities by name (RFC 5424 table 1, with the usual names) or number.
#pragma once

#include <optional>
#include <string_view>

namespace vigil_syslog {

// "local0" -> 16, "auth" -> 4, "13" -> 13; nullopt for anything else.
std::optional<int> parse_facility(std::string_view name);

} // namespace vigil_syslog
