// SPDX-License-Identifier: Apache-2.0
// What [audit] needs beyond each key's own type and range: keys that only make
// sense together (a webhook needs a certificate, a key and a way to
// authenticate the API server), and the listen address's form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "core/config/config.hpp"
#include "core/config/error_collector.hpp"

namespace vigil::config {

struct ListenAddress {
    std::string host; // without the brackets of an IPv6 address
    uint16_t port = 0;
};

// "0.0.0.0:9443", "[::]:9443", "localhost:9443"; nullopt if it is none of those.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

// Adds an error, naming the key, for each combination that cannot work.
void check_audit_section(const toml::node &node, const AuditConfig &audit, ErrorCollector &errors);

} // namespace vigil::config
