// SPDX-License-Identifier: Apache-2.0
#include "settings.hpp"

#include <string>

namespace vigil_sa_abuse {
namespace {

constexpr uint64_t second_ns = 1'000'000'000ull;

std::size_t integer_in(const vigil::Config &config, const char *key, int64_t low, int64_t high)
{
    auto value = config.get_integer(key);
    if (value < low || value > high) {
        throw vigil::ConfigError(std::string(key) + " must be from " + std::to_string(low) + " to " +
                                 std::to_string(high) + ", not " + std::to_string(value));
    }
    return static_cast<std::size_t>(value);
}

// Plugin names as the sensor knows them; never this plugin's own, whose
// alerts are not handed back to it (and a chain must not feed a chain).
std::vector<std::string> container_plugins(const vigil::Config &config, const char *key)
{
    auto plugins = config.get_list(key);
    for (const auto &plugin : plugins) {
        if (plugin.empty() || plugin == "sa_abuse") {
            throw vigil::ConfigError(std::string(key) + " must name other detectors, not \"" + plugin + "\"");
        }
    }
    return plugins;
}

} // namespace

Settings read_settings(const vigil::Config &config)
{
    Settings settings;
    settings.switches = vigil::read_disabled_rules(config, rule_table);
    settings.pods_exec_ignore_users = vigil::GlobList(config.get_list("pods_exec_ignore_users"));
    settings.rbac_change_ignore_accounts = vigil::GlobList(config.get_list("rbac_change_ignore_accounts"));
    settings.discovery_ignore_accounts = vigil::GlobList(config.get_list("discovery_ignore_accounts"));
    settings.token_source_ignore_accounts = vigil::GlobList(config.get_list("token_source_ignore_accounts"));
    settings.unusual_call_ignore_accounts = vigil::GlobList(config.get_list("unusual_call_ignore_accounts"));
    settings.discovery_window_ns = integer_in(config, "discovery_window_s", 1, 86400) * second_ns;
    settings.access_review_threshold = integer_in(config, "access_review_threshold", 1, 100000);
    settings.secret_read_threshold = integer_in(config, "secret_read_threshold", 1, 100000);
    settings.token_source_learn_calls = integer_in(config, "token_source_learn_calls", 1, 1000);
    settings.warmup_ns = integer_in(config, "warmup_s", 0, 30 * 86400) * second_ns;
    settings.max_tracked = integer_in(config, "max_tracked", 16, 1'000'000);
    settings.max_calls_per_account = integer_in(config, "max_calls_per_account", 8, 100000);
    settings.exec_join_window_ns = integer_in(config, "exec_join_window_s", 1, 600) * second_ns;
    settings.chain_window_ns = integer_in(config, "chain_window_s", 1, 86400) * second_ns;
    settings.chain_container_plugins = container_plugins(config, "chain_container_plugins");
    return settings;
}

} // namespace vigil_sa_abuse
