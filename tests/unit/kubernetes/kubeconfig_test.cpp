// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "core/kubernetes/api_settings.hpp"
#include "core/kubernetes/kubeconfig.hpp"

using namespace vigil::kubernetes;

namespace {

const char *kubeconfig = R"(
apiVersion: v1
kind: Config
current-context: prod
contexts:
- name: dev
  context: {cluster: dev, user: dev}
- name: prod
  context:
    cluster: prod-cluster
    user: sensor
    namespace: vigil
clusters:
- name: dev
  cluster: {server: "https://dev:6443"}
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443/
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
users:
- name: dev
  user: {token: dev-token}
- name: sensor
  user:
    tokenFile: tokens/sensor
    client-certificate: certs/client.crt
    client-key-data: a2V5
)";

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes kubeconfig: the current context's cluster and user")
    {
        auto settings = parse_kubeconfig(kubeconfig, "/etc/vigil");
        REQUIRE_MESSAGE(settings.has_value(), settings.error());
        CHECK(settings->server == "https://10.0.0.1:6443");
        CHECK(settings->ca_pem == "-----BEGIN CERTIFICATE-----");
        CHECK(settings->ca_file.empty());
        CHECK(settings->token.empty());
        CHECK(settings->token_file == "/etc/vigil/tokens/sensor"); // relative to the file
        CHECK(settings->client_certificate_file == "/etc/vigil/certs/client.crt");
        CHECK(settings->client_key_pem == "key");
    }

    TEST_CASE("kubernetes kubeconfig: what the sensor refuses")
    {
        auto refused = [](const std::string &text) {
            auto settings = parse_kubeconfig(text, "/");
            return settings.has_value() ? std::string() : settings.error();
        };
        CHECK(refused("current-context: x\n").find("not among its contexts") != std::string::npos);
        CHECK(refused("{").find("not YAML") != std::string::npos);
        CHECK(refused("clusters: []\n").find("no current-context") != std::string::npos);
        const std::string base = "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n";
        CHECK(refused(base +
                      "clusters: [{name: k, cluster: {server: 'http://plain:8080'}}]\nusers: [{name: u, user: {}}]\n")
                  .find("https") != std::string::npos);
        CHECK(refused(base + "clusters: [{name: k, cluster: {server: 'https://a', insecure-skip-tls-verify: true}}]\n"
                             "users: [{name: u, user: {}}]\n")
                  .find("always verifies") != std::string::npos);
        CHECK(refused(base + "clusters: [{name: k, cluster: {server: 'https://a'}}]\n"
                             "users: [{name: u, user: {exec: {command: aws}}}]\n")
                  .find("credential plugin") != std::string::npos);
        CHECK(refused(base +
                      "clusters: [{name: k, cluster: {server: 'https://a', certificate-authority-data: '%%%'}}]\n"
                      "users: [{name: u, user: {}}]\n")
                  .find("base64") != std::string::npos);
    }

    TEST_CASE("kubernetes api settings: auto is in-cluster only with both variables; none is none")
    {
        vigil::config::KubernetesConfig config;
        config.token_file = "/tmp/token";
        config.ca_file = "/tmp/ca";
        auto empty_environment = [](const std::string &) { return std::optional<std::string>(); };
        auto none = resolve_api_settings(config, empty_environment);
        REQUIRE(none.has_value());
        CHECK_FALSE(none->has_value());

        auto cluster = [](const std::string &name) -> std::optional<std::string> {
            if (name == "KUBERNETES_SERVICE_HOST") {
                return "fd00::1";
            }
            if (name == "KUBERNETES_SERVICE_PORT") {
                return "443";
            }
            return std::nullopt;
        };
        auto in_cluster = resolve_api_settings(config, cluster);
        REQUIRE(in_cluster.has_value());
        REQUIRE(in_cluster->has_value());
        CHECK((*in_cluster)->server == "https://[fd00::1]:443");
        CHECK((*in_cluster)->token_file == "/tmp/token");
        CHECK((*in_cluster)->ca_file == "/tmp/ca");

        config.api_server = "none";
        CHECK_FALSE(resolve_api_settings(config, cluster)->has_value());
        config.api_server = "https://api.example:6443/";
        CHECK((*resolve_api_settings(config, empty_environment))->server == "https://api.example:6443");
        config.kubeconfig = "/nonexistent/kubeconfig";
        CHECK_FALSE(resolve_api_settings(config, empty_environment).has_value());
    }

    TEST_CASE("kubernetes api settings: the token file is read at every call")
    {
        auto path = std::string("/tmp/vigil-token-test-") + std::to_string(::getpid());
        ApiSettings settings;
        settings.token_file = path;
        {
            std::ofstream(path) << "first\n";
        }
        CHECK(current_token(settings) == "first");
        {
            std::ofstream(path) << "rotated";
        }
        CHECK(current_token(settings) == "rotated");
        std::remove(path.c_str());
        CHECK(current_token(settings).empty());
    }
}
