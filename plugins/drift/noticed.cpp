// SPDX-License-Identifier: Apache-2.0
#include "noticed.hpp"

#include <arpa/inet.h>

#include <cstring>

#include <vigil/dns_query.hpp>

#include "drift_events.h"

namespace vigil_drift {
namespace {

// The NUL-terminated text at the start of @bytes, at most @size bytes.
std::string bounded_text(const char *bytes, std::size_t size)
{
    return std::string(bytes, strnlen(bytes, size));
}

std::string address_text(const drift_endpoint &endpoint)
{
    char text[INET6_ADDRSTRLEN] = {};
    int family = endpoint.family == DRIFT_AF_INET6 ? AF_INET6 : AF_INET;
    if (inet_ntop(family, endpoint.address, text, sizeof(text)) == nullptr) {
        return "?";
    }
    return text;
}

// SOCK_DGRAM is 2 on every architecture vigil builds for; a connect of anything else counts as TCP.
const char *protocol_of(uint16_t socket_type)
{
    return socket_type == 2 ? "udp" : "tcp";
}

} // namespace

std::optional<Noticed> notice_exec(const vigil::Event &event, const vigil::Host &host)
{
    const auto *record = event.as<vigil_process_exec>();
    if (record == nullptr) {
        return std::nullopt;
    }
    auto path = bounded_text(record->filename, sizeof(record->filename));
    auto args_size = std::min<std::size_t>(record->args_size, sizeof(record->args));
    auto argv0 = bounded_text(record->args, args_size);
    // The sensor's parent is the creator; the record's is whoever adopted the process if the
    // creator exited first (a double fork), which would make one behaviour two entries.
    auto parent_tgid = record->header.parent_tgid;
    if (const auto *acting = event.process(); acting != nullptr && acting->parent_tgid != 0) {
        parent_tgid = acting->parent_tgid;
    }
    std::string parent_exe;
    if (const auto *parent = host.find_process(parent_tgid); parent != nullptr) {
        // A parent outside the container is the runtime entering it (the container's first process,
        // `kubectl exec`, a probe): which of its processes made the call (runc's stages, a shim) is
        // plumbing that changes from one entry to the next, so every such parent is one.
        parent_exe = parent->cgroup_id == record->header.cgroup_id ? parent->exe : outside_parent;
    }
    auto rule = rule_for_new_executable(path, argv0);
    return Noticed{exec_observation(path, argv0, parent_exe), rule, path};
}

std::optional<Noticed> notice_open(const vigil::Event &event)
{
    const auto *record = event.as<drift_open>();
    if (record == nullptr || record->path_size == 0) {
        return std::nullopt;
    }
    auto path = bounded_text(record->path, sizeof(record->path));
    bool write = (record->open_flags & DRIFT_OPEN_WRITE_ACCESS) != 0;
    if (path.empty() || (!write && !is_sensitive_read(path))) {
        return std::nullopt;
    }
    return Noticed{file_observation(path, write), rule_for_new_file(path, write), path};
}

std::optional<Noticed> notice_connect(const vigil::Event &event)
{
    const auto *record = event.as<drift_connect>();
    if (record == nullptr || (record->remote.family != DRIFT_AF_INET && record->remote.family != DRIFT_AF_INET6)) {
        return std::nullopt;
    }
    auto address = address_text(record->remote);
    const char *protocol = protocol_of(record->socket_type);
    auto observation = connection_observation(protocol, address, record->remote.port);
    auto subject = std::string(protocol) + " " + address + ":" + std::to_string(record->remote.port);
    return Noticed{std::move(observation), Rule::new_connection, std::move(subject)};
}

std::optional<Noticed> notice_listen(const vigil::Event &event)
{
    const auto *record = event.as<drift_listen>();
    if (record == nullptr) {
        return std::nullopt;
    }
    const char *protocol = protocol_of(record->socket_type);
    auto subject = std::string(protocol) + " port " + std::to_string(record->port);
    return Noticed{listening_observation(protocol, record->port), Rule::new_listening_port, std::move(subject)};
}

std::optional<Noticed> notice_dns(const vigil::Event &event)
{
    const auto *record = event.as<drift_dns>();
    if (record == nullptr) {
        return std::nullopt;
    }
    auto size = std::min<std::size_t>(record->payload_size, sizeof(record->payload));
    auto question = vigil::parse_dns_query(std::span<const uint8_t>(record->payload, size));
    if (!question) {
        return std::nullopt;
    }
    auto observation = dns_observation(question->name);
    return Noticed{std::move(observation), Rule::new_dns_name, question->name};
}

} // namespace vigil_drift
