// SPDX-License-Identifier: Apache-2.0
// Where the Kubernetes API is and how to authenticate to it: in-cluster (the
// pod's service account), a kubeconfig file, or an explicit URL. TLS is always
// verified; there is deliberately no way to turn that off.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>

#include "core/config/config.hpp"

namespace vigil::kubernetes {

struct ApiSettings {
    std::string server; // "https://host:port", without a trailing slash
    std::string origin; // for the log: "in-cluster", "kubeconfig <path>", "[kubernetes] api_server"
    // The CA the server's certificate must chain to: a file, or PEM text
    // (a kubeconfig's certificate-authority-data). Neither: the system's CAs.
    std::string ca_file;
    std::string ca_pem;
    // Bearer token: the file wins, and is re-read at every connect because
    // projected service-account tokens rotate (about hourly).
    std::string token_file;
    std::string token;
    // Client certificate authentication (kubeconfig users), as files or PEM text.
    std::string client_certificate_file;
    std::string client_key_file;
    std::string client_certificate_pem;
    std::string client_key_pem;
};

// The token to send now: the token file's content (trimmed) when there is
// one, else the fixed token; empty when there is none or the file is unreadable.
std::string current_token(const ApiSettings &settings);

using EnvironmentLookup = std::function<std::optional<std::string>(const std::string &name)>;

// The process environment, for resolve_api_settings.
std::optional<std::string> process_environment(const std::string &name);

// The API connection the [kubernetes] section asks for, or nullopt for none
// ("none", or "auto" outside a cluster without a kubeconfig). An error for a
// kubeconfig that cannot be read or used.
std::expected<std::optional<ApiSettings>, std::string> resolve_api_settings(const config::KubernetesConfig &config,
                                                                            const EnvironmentLookup &environment);

} // namespace vigil::kubernetes
