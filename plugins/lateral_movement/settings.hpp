// SPDX-License-Identifier: Apache-2.0
// The plugin's options, read and checked once at init, and the load-time
// tables the kernel side filters with.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <vigil/host.hpp>

#include "endpoints.hpp"
#include "lateral_events.h"
#include "rules.hpp"
#include "token_paths.hpp"

namespace vigil_lateral_movement {

struct Settings {
    GlobList token_paths;       // '*' stops at '/'
    GlobList known_api_clients; // '*' crosses '/'
    std::vector<WatchedEndpoint> endpoints;
    std::optional<Endpoint> api_server_from_environment; // what KUBERNETES_SERVICE_HOST/PORT gave, if used
    uint64_t correlation_window_ns = 0;
    std::size_t correlation_capacity = 0;
    vigil::RuleSwitches<Rule, rule_count> switches; // disabled_rules

    bool enabled(Rule rule) const { return switches.enabled(rule); }
};

// Throws vigil::ConfigError naming the option at fault.
Settings read_settings(const vigil::Config &config);

// What configure_bpf hands the kernel side.
struct KernelTables {
    std::array<lateral_endpoint, LATERAL_MAX_ENDPOINTS> endpoints{};
    uint32_t endpoint_count = 0;
    char prefixes[LATERAL_MAX_PREFIXES][LATERAL_PREFIX_SIZE] = {};
    std::array<uint32_t, LATERAL_MAX_PREFIXES> prefix_lengths{};
    uint32_t prefix_count = 0;
    bool watch_opens = false;
};

// The tables for @settings: only what an enabled rule needs reaches the kernel.
KernelTables kernel_tables(const Settings &settings);

} // namespace vigil_lateral_movement
