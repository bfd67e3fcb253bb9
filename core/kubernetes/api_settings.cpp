// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/api_settings.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/kubernetes/kubeconfig.hpp"

namespace vigil::kubernetes {
namespace {

std::string trimmed(std::string text)
{
    auto first = text.find_first_not_of(" \t\r\n");
    auto last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

// An IPv6 service address (an IPv6-only cluster) needs brackets in a URL.
std::string in_cluster_url(const std::string &host, const std::string &port)
{
    auto bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return "https://" + bracketed + ":" + port;
}

std::string without_trailing_slash(std::string url)
{
    while (url.ends_with('/')) {
        url.pop_back();
    }
    return url;
}

} // namespace

std::string current_token(const ApiSettings &settings)
{
    if (settings.token_file.empty()) {
        return settings.token;
    }
    std::ifstream file(settings.token_file);
    if (!file) {
        return {};
    }
    std::ostringstream text;
    text << file.rdbuf();
    return trimmed(text.str());
}

std::optional<std::string> process_environment(const std::string &name)
{
    const char *value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

std::expected<std::optional<ApiSettings>, std::string> resolve_api_settings(const config::KubernetesConfig &config,
                                                                            const EnvironmentLookup &environment)
{
    if (config.api_server == "none") {
        return std::nullopt;
    }
    if (!config.kubeconfig.empty()) {
        auto settings = load_kubeconfig(config.kubeconfig);
        if (!settings) {
            return std::unexpected(settings.error());
        }
        // An explicit URL wins over the kubeconfig's server (e.g. a tunnel); its CA and credentials stay.
        if (config.api_server != "auto") {
            settings->server = without_trailing_slash(config.api_server);
        }
        return std::optional<ApiSettings>(std::move(*settings));
    }
    ApiSettings settings;
    settings.token_file = config.token_file;
    settings.ca_file = config.ca_file;
    if (config.api_server == "auto") {
        auto host = environment("KUBERNETES_SERVICE_HOST");
        auto port = environment("KUBERNETES_SERVICE_PORT");
        if (!host || !port) {
            return std::nullopt;
        }
        settings.server = in_cluster_url(*host, *port);
        settings.origin = "in-cluster";
    } else {
        settings.server = without_trailing_slash(config.api_server);
        settings.origin = "[kubernetes] api_server";
    }
    return std::optional<ApiSettings>(std::move(settings));
}

} // namespace vigil::kubernetes
