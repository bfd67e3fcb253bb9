// SPDX-License-Identifier: Apache-2.0
#include "settings.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

namespace vigil_lateral_movement {
namespace {

void add_endpoints(const vigil::Config &config, const char *key, Destination destination,
                   std::vector<WatchedEndpoint> &into)
{
    for (const auto &text : config.get_list(key)) {
        std::string error;
        auto endpoint = parse_endpoint(text, error);
        if (!endpoint) {
            throw vigil::ConfigError(std::string(key) + ": " + error);
        }
        into.push_back({*endpoint, destination});
    }
}

std::size_t integer_in(const vigil::Config &config, const char *key, int64_t low, int64_t high)
{
    auto value = config.get_integer(key);
    if (value < low || value > high) {
        throw vigil::ConfigError(std::string(key) + " must be from " + std::to_string(low) + " to " +
                                 std::to_string(high) + ", not " + std::to_string(value));
    }
    return static_cast<std::size_t>(value);
}

bool needs_endpoint(const Settings &settings, Destination destination)
{
    if (destination == Destination::api_server) {
        return settings.enabled(Rule::api_server_connect) || settings.enabled(Rule::token_then_api_connect);
    }
    return settings.enabled(connect_rule(destination));
}

} // namespace

Settings read_settings(const vigil::Config &config)
{
    Settings settings;
    settings.switches = vigil::read_disabled_rules(config, rule_table);

    auto patterns = config.get_list("token_paths");
    try {
        if (literal_prefixes(patterns, LATERAL_PREFIX_SIZE - 1).size() > LATERAL_MAX_PREFIXES) {
            throw std::invalid_argument("at most " + std::to_string(LATERAL_MAX_PREFIXES) +
                                        " different leading directories are supported");
        }
    } catch (const std::invalid_argument &error) {
        throw vigil::ConfigError(std::string("token_paths: ") + error.what());
    }
    settings.token_paths = GlobList(std::move(patterns), false);
    settings.known_api_clients = GlobList(config.get_list("known_api_clients"), true);

    add_endpoints(config, "api_server_endpoints", Destination::api_server, settings.endpoints);
    if (config.get_bool("api_server_from_environment")) {
        // Set in every pod by the kubelet, so also in the sensor's when it runs as a DaemonSet.
        settings.api_server_from_environment = api_server_from_environment(std::getenv);
        if (settings.api_server_from_environment) {
            settings.endpoints.push_back({*settings.api_server_from_environment, Destination::api_server});
        }
    }
    add_endpoints(config, "kubelet_endpoints", Destination::kubelet, settings.endpoints);
    add_endpoints(config, "etcd_endpoints", Destination::etcd, settings.endpoints);
    add_endpoints(config, "metadata_endpoints", Destination::metadata, settings.endpoints);
    std::erase_if(settings.endpoints,
                  [&](const WatchedEndpoint &entry) { return !needs_endpoint(settings, entry.destination); });
    if (settings.endpoints.size() > LATERAL_MAX_ENDPOINTS) {
        throw vigil::ConfigError("at most " + std::to_string(LATERAL_MAX_ENDPOINTS) +
                                 " endpoints can be watched in all (api_server_endpoints, the environment's, "
                                 "kubelet_endpoints, etcd_endpoints, metadata_endpoints); there are " +
                                 std::to_string(settings.endpoints.size()));
    }

    settings.correlation_window_ns = integer_in(config, "correlation_window_s", 1, 86400) * 1'000'000'000ull;
    settings.correlation_capacity = integer_in(config, "correlation_capacity", 16, 65536);
    return settings;
}

KernelTables kernel_tables(const Settings &settings)
{
    KernelTables tables;
    for (const auto &entry : settings.endpoints) {
        auto &slot = tables.endpoints[tables.endpoint_count++];
        slot.family = entry.endpoint.family;
        slot.port = entry.endpoint.port;
        std::copy(entry.endpoint.address.begin(), entry.endpoint.address.end(), slot.address);
    }
    tables.watch_opens = settings.enabled(Rule::token_read) || settings.enabled(Rule::token_then_api_connect);
    if (tables.watch_opens) {
        for (const auto &prefix : literal_prefixes(settings.token_paths.patterns(), LATERAL_PREFIX_SIZE - 1)) {
            auto index = tables.prefix_count++;
            std::memcpy(tables.prefixes[index], prefix.data(), prefix.size());
            tables.prefix_lengths[index] = static_cast<uint32_t>(prefix.size());
        }
    }
    return tables;
}

} // namespace vigil_lateral_movement
