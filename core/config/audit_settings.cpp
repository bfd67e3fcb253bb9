// SPDX-License-Identifier: Apache-2.0
#include "core/config/audit_settings.hpp"

#include <charconv>

namespace vigil::config {

std::optional<ListenAddress> parse_listen_address(std::string_view text)
{
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    auto host = text.substr(0, colon);
    auto port_text = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return std::nullopt;
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt; // an IPv6 address needs its brackets to be told from its port
    }
    unsigned port = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
        return std::nullopt;
    }
    return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

void check_audit_section(const toml::node &node, const AuditConfig &audit, ErrorCollector &errors)
{
    const auto *table = node.as_table();
    if (table == nullptr) {
        return; // read_section already said so
    }
    // Where to point: the key itself when it is written, else the [audit] table.
    auto where = [&](std::string_view key) -> const toml::source_region & {
        const auto *value = table->get(key);
        return value != nullptr ? value->source() : node.source();
    };
    if (!audit.webhook_path.starts_with('/')) {
        errors.add(where("webhook_path"), "audit.webhook_path", "must start with '/'");
    }
    if (audit.webhook_listen.empty()) {
        return;
    }
    if (!parse_listen_address(audit.webhook_listen)) {
        errors.add(where("webhook_listen"), "audit.webhook_listen",
                   "expected \"<address>:<port>\" (\"0.0.0.0:9443\", \"[::]:9443\"), got \"" + audit.webhook_listen +
                       "\"");
    }
    if (audit.webhook_cert_file.empty()) {
        errors.add(where("webhook_listen"), "audit.webhook_cert_file",
                   "required when webhook_listen is set: the webhook serves HTTPS only");
    }
    if (audit.webhook_key_file.empty()) {
        errors.add(where("webhook_listen"), "audit.webhook_key_file",
                   "required when webhook_listen is set: the webhook serves HTTPS only");
    }
    if (audit.webhook_token_file.empty() && audit.webhook_client_ca_file.empty()) {
        errors.add(where("webhook_listen"), "audit.webhook_token_file",
                   "webhook_token_file or webhook_client_ca_file is required when webhook_listen is set: the "
                   "webhook accepts nothing it cannot authenticate");
    }
}

} // namespace vigil::config
