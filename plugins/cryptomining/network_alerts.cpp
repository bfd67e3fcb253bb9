// SPDX-License-Identifier: Apache-2.0
// cryptomining.pool_connect and cryptomining.pool_dns, from the plugin's own
// ring: the kernel side sends only connects to the pool ports and the first
// bytes of messages to port 53.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "detector.hpp"
#include "dns_query.hpp"
#include <vigil/alert.hpp>

namespace vigil_cryptomining {
namespace {

// "192.0.2.7" or "2001:db8::7"; "" for an endpoint without an address family.
std::string address_text(const cryptomining_endpoint &endpoint)
{
    std::array<char, INET6_ADDRSTRLEN> text{};
    int family = endpoint.family == 2 ? AF_INET : endpoint.family == 10 ? AF_INET6 : 0;
    if (family == 0 || inet_ntop(family, endpoint.address, text.data(), text.size()) == nullptr) {
        return {};
    }
    return text.data();
}

const char *syscall_name(uint16_t syscall)
{
    switch (syscall) {
    case CRYPTOMINING_SYSCALL_SENDTO:
        return "sendto";
    case CRYPTOMINING_SYSCALL_SENDMSG:
        return "sendmsg";
    case CRYPTOMINING_SYSCALL_SENDMMSG:
        return "sendmmsg";
    case CRYPTOMINING_SYSCALL_WRITE:
        return "write";
    default:
        return "unknown";
    }
}

const char *actor(const vigil::Event &event)
{
    const auto *process = event.process();
    return process != nullptr && process->exe != nullptr ? process->exe : "a process";
}

} // namespace

void CryptominingDetector::on_pool_connect(const vigil::Event &event, const cryptomining_connect &record)
{
    if (!settings_.rules.enabled(Rule::pool_connect)) {
        return;
    }
    // The kernel filtered on the configured ports; a record for another port is not ours to judge.
    if (std::find(settings_.pool_ports.begin(), settings_.pool_ports.end(), record.remote.port) ==
        settings_.pool_ports.end()) {
        return;
    }
    const auto address = address_text(record.remote);
    const auto key = address + ":" + std::to_string(record.remote.port);
    const auto &info = rule_table.at(Rule::pool_connect);
    vigil::Alert alert(info.id, info.severity);
    alert.attack(all_tactics(), all_techniques());
    alert
        .summary("%s connected to %s port %u, a well-known mining pool port", actor(event), address.c_str(),
                 static_cast<unsigned>(record.remote.port))
        .event(event)
        .evidence("remote_address", address.c_str())
        .evidence("remote_port", static_cast<uint32_t>(record.remote.port))
        .evidence("fd", static_cast<int64_t>(record.fd))
        .dedup_key(key.c_str())
        .emit(host());
}

void CryptominingDetector::on_dns_query(const vigil::Event &event, const cryptomining_dns &record)
{
    if (!settings_.rules.enabled(Rule::pool_dns)) {
        return;
    }
    auto size = std::min<std::size_t>(record.payload_size, sizeof(record.payload));
    auto question = parse_dns_query(std::span<const uint8_t>(record.payload, size));
    if (!question) {
        malformed_.add();
        return;
    }
    dns_queries_.add();
    auto pattern = settings_.pool_domains.match(question->name);
    if (pattern.empty()) {
        return;
    }
    const std::string matched(pattern);
    const auto server = address_text(record.server);
    const auto type = dns_type_name(question->type);
    const auto &info = rule_table.at(Rule::pool_dns);
    vigil::Alert alert(info.id, info.severity);
    alert.attack(all_tactics(), all_techniques());
    alert
        .summary("%s looked up %s, a cryptocurrency mining pool (%s)", actor(event), question->name.c_str(),
                 matched.c_str())
        .event(event)
        .evidence("query_name", question->name.c_str())
        .evidence("matched_pattern", matched.c_str())
        .evidence("query_type", type.c_str())
        .evidence("syscall", syscall_name(record.syscall))
        .evidence("transport", question->over_tcp ? "tcp" : "udp")
        .evidence_bool("name_truncated", question->truncated)
        .dedup_key(question->name.c_str());
    if (!server.empty()) {
        alert.evidence("server_address", server.c_str());
        alert.evidence("server_port", static_cast<uint32_t>(record.server.port));
    }
    alert.emit(host());
}

} // namespace vigil_cryptomining
