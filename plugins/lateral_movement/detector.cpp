// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <array>
#include <cstring>
#include <string>
#include <string_view>

namespace vigil_lateral_movement {
namespace {

// A fixed-size field of a record as text: up to its NUL, or all of it.
template <std::size_t N> std::string_view field_text(const char (&field)[N])
{
    return std::string_view(field, strnlen(field, N));
}

Endpoint endpoint_of(const lateral_connect &record)
{
    Endpoint endpoint;
    endpoint.family = record.endpoint.family;
    endpoint.port = record.endpoint.port;
    std::memcpy(endpoint.address.data(), record.endpoint.address, endpoint.address.size());
    return endpoint;
}

} // namespace

LateralMovementDetector::LateralMovementDetector(vigil::Host host, const vigil::Config &config)
    : Detector(host), settings_(read_settings(config)), token_reads_(settings_.correlation_capacity),
      api_connects_(settings_.correlation_capacity),
      known_client_findings_(host.counter("known_client_findings",
                                          "Token reads and API server connects by known API clients, not alerted on")),
      malformed_(host.counter("malformed_records", "Records too short for their kind, ignored"))
{
    if (settings_.api_server_from_environment) {
        host.logf(VIGIL_LOG_INFO, "watching the API server at %s (from KUBERNETES_SERVICE_HOST/PORT)",
                  endpoint_text(*settings_.api_server_from_environment).c_str());
    }
}

void LateralMovementDetector::configure_bpf(const vigil::BpfSetup &setup)
{
    const auto tables = kernel_tables(settings_);
    setup.set_constant(bpf_object_name, "watched_endpoints", tables.endpoints);
    setup.set_constant(bpf_object_name, "watched_endpoint_count", tables.endpoint_count);
    setup.set_constant(bpf_object_name, "token_prefixes", tables.prefixes);
    setup.set_constant(bpf_object_name, "token_prefix_lengths", tables.prefix_lengths);
    setup.set_constant(bpf_object_name, "token_prefix_count", tables.prefix_count);
    setup.set_constant(bpf_object_name, "watch_token_opens", tables.watch_opens);
    // Only opens that may name a token reach the open stage: a token prefix's first directory ("/var/",
    // "/run/"), or a path that no first directory rules out (relative, "//", "/.").
    std::vector<std::string> heads;
    for (uint32_t i = 0; i < tables.prefix_count; ++i) {
        std::string_view prefix(tables.prefixes[i], tables.prefix_lengths[i]);
        auto slash = prefix.find('/', 1);
        auto head = prefix.substr(0, slash == std::string_view::npos ? prefix.size() : slash + 1);
        heads.emplace_back(head.substr(0, VIGIL_OPEN_HEAD_SIZE));
    }
    setup.set_open_filter(bpf_object_name, 0, std::move(heads), tables.watch_opens);
    // Only connects to a watched endpoint reach the connect stage: its port, or its address when any port.
    std::vector<uint16_t> ports;
    std::vector<vigil_connect_address> addresses;
    for (uint32_t i = 0; i < tables.endpoint_count; ++i) {
        const auto &endpoint = tables.endpoints[i];
        if (endpoint.port != 0) {
            ports.push_back(endpoint.port);
        } else if (endpoint.family != 0) {
            vigil_connect_address address{};
            address.family = endpoint.family;
            std::memcpy(address.address, endpoint.address, sizeof(address.address));
            addresses.push_back(address);
        } else {
            return; // any address and any port (no configuration spells it today): every connect
        }
    }
    setup.set_connect_filter(bpf_object_name, std::move(ports), addresses);
}

void LateralMovementDetector::on_event(const vigil::Event &event)
{
    // The kernel's test is a superset ("may be in a container"); the sensor's cgroup view is exact.
    if (!event.in_container()) {
        return;
    }
    switch (event.kind()) {
    case LATERAL_KIND_OPEN:
        if (const auto *record = event.as<lateral_open>()) {
            on_open(event, *record);
            return;
        }
        break;
    case LATERAL_KIND_CONNECT:
        if (const auto *record = event.as<lateral_connect>()) {
            on_connect(event, *record);
            return;
        }
        break;
    default:
        return;
    }
    malformed_.add();
}

std::string LateralMovementDetector::token_path_of(const lateral_open &record) const
{
    auto path = field_text(record.path);
    if ((record.flags & LATERAL_OPEN_RELATIVE) != 0) {
        RelativeOpen open{path, field_text(record.base_name), field_text(record.base_parent_name)};
        return relative_token_path(open).value_or("");
    }
    auto normalized = normalize_path(path);
    return settings_.token_paths.matches(normalized) ? normalized : "";
}

bool LateralMovementDetector::known_client(const vigil::Event &event) const
{
    const auto *process = event.process();
    return process != nullptr && process->exe != nullptr && process->exe[0] != '\0' &&
           settings_.known_api_clients.matches(process->exe);
}

TreeMember LateralMovementDetector::tree_member(const vigil::Event &event) const
{
    const auto &header = event.header();
    TreeMember member;
    member.cgroup_id = header.cgroup_id;
    member.tgid = header.tgid;
    // A parent outside the container is the runtime (one per exec, or a shim shared by all): no family tie.
    if (const auto *parent = host().find_process(header.parent_tgid);
        parent != nullptr && parent->cgroup_id == header.cgroup_id) {
        member.parent_tgid = header.parent_tgid;
    }
    std::array<const vigil_process *, TreeMember::max_ancestors> storage{};
    for (const auto *ancestor : host().ancestry(header.tgid, storage)) {
        if (ancestor->cgroup_id == header.cgroup_id) {
            member.ancestors[member.ancestor_count++] = ancestor->tgid;
        }
    }
    return member;
}

Sighting LateralMovementDetector::sighting(const vigil::Event &event, std::string_view detail) const
{
    Sighting sighting;
    sighting.time_ns = event.header().timestamp_ns;
    sighting.who = tree_member(event);
    const auto *process = event.process();
    sighting.set_exe(process != nullptr && process->exe != nullptr ? std::string_view(process->exe)
                                                                   : field_text(event.header().comm));
    sighting.set_detail(detail);
    sighting.set_comm(field_text(event.header().comm));
    return sighting;
}

void LateralMovementDetector::on_open(const vigil::Event &event, const lateral_open &record)
{
    const auto path = token_path_of(record);
    if (path.empty()) {
        return;
    }
    if (known_client(event)) {
        known_client_findings_.add();
        return;
    }
    const auto read = sighting(event, path);
    if (settings_.enabled(Rule::token_then_api_connect)) {
        token_reads_.record(read);
        if (const auto *connect = api_connects_.find_related(read.who, read.time_ns, settings_.correlation_window_ns)) {
            alert_correlated(event, read, *connect, false);
            return;
        }
    }
    if (settings_.enabled(Rule::token_read)) {
        alert_token_read(event, record, path);
    }
}

void LateralMovementDetector::on_connect(const vigil::Event &event, const lateral_connect &record)
{
    const auto endpoint = endpoint_of(record);
    auto watched = classify(settings_.endpoints, endpoint);
    if (!watched) {
        return; // the kernel's table is the same list; a record can only miss after a config mismatch
    }
    const auto rule = connect_rule(watched->destination);
    if (watched->destination != Destination::api_server) {
        if (settings_.enabled(rule)) {
            alert_connect(event, rule, endpoint, *watched);
        }
        return;
    }
    if (known_client(event)) {
        known_client_findings_.add();
        return;
    }
    const auto connect = sighting(event, endpoint_text(endpoint));
    if (settings_.enabled(Rule::token_then_api_connect)) {
        api_connects_.record(connect);
        if (const auto *read =
                token_reads_.find_related(connect.who, connect.time_ns, settings_.correlation_window_ns)) {
            alert_correlated(event, *read, connect, true);
            return;
        }
    }
    if (settings_.enabled(rule)) {
        alert_connect(event, rule, endpoint, *watched);
    }
}

} // namespace vigil_lateral_movement
