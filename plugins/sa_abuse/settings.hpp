// SPDX-License-Identifier: Apache-2.0
// The plugin's options, read and checked once at init.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <vigil/glob_list.hpp>
#include <vigil/host.hpp>

#include "rules.hpp"

namespace vigil_sa_abuse {

struct Settings {
    vigil::RuleSwitches<Rule, rule_count> switches; // disabled_rules
    // pods_exec applies to every user, so its list holds user names; the
    // others hold service accounts written "<namespace>:<name>".
    vigil::GlobList pods_exec_ignore_users;
    vigil::GlobList rbac_change_ignore_accounts;
    vigil::GlobList discovery_ignore_accounts; // access_review_burst and secret_enumeration
    vigil::GlobList token_source_ignore_accounts;
    vigil::GlobList unusual_call_ignore_accounts;
    uint64_t discovery_window_ns = 0;
    std::size_t access_review_threshold = 0;
    std::size_t secret_read_threshold = 0;
    std::size_t token_source_learn_calls = 0;
    uint64_t warmup_ns = 0;
    std::size_t max_tracked = 0;           // accounts, pods: each table's bound
    std::size_t max_calls_per_account = 0; // distinct calls a baseline keeps per account
    uint64_t exec_join_window_ns = 0;
    uint64_t chain_window_ns = 0;
    std::vector<std::string> chain_container_plugins; // detectors whose alerts are a chain's container side

    bool enabled(Rule rule) const { return switches.enabled(rule); }
};

// Throws vigil::ConfigError naming the option at fault.
Settings read_settings(const vigil::Config &config);

} // namespace vigil_sa_abuse
