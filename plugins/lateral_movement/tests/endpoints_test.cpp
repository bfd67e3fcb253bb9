// SPDX-License-Identifier: Apache-2.0
// Endpoint syntax, matching and the in-cluster API server address.
#include <doctest/doctest.h>

#include <map>

#include "endpoints.hpp"
#include "lateral_events.h"

using namespace vigil_lateral_movement;

namespace {

Endpoint parsed(const char *text)
{
    std::string error;
    auto endpoint = parse_endpoint(text, error);
    INFO(text << ": " << error);
    REQUIRE(endpoint.has_value());
    return *endpoint;
}

std::string problem(const char *text)
{
    std::string error;
    CHECK_FALSE(parse_endpoint(text, error).has_value());
    return error;
}

} // namespace

TEST_CASE("endpoints in every spelling the configuration allows")
{
    CHECK(endpoint_text(parsed("10.96.0.1:443")) == "10.96.0.1:443");
    CHECK(endpoint_text(parsed("169.254.169.254")) == "169.254.169.254:*");
    CHECK(endpoint_text(parsed(":10250")) == "*:10250");
    CHECK(endpoint_text(parsed("[fd00:ec2::254]")) == "[fd00:ec2::254]:*");
    CHECK(endpoint_text(parsed("[fd00::1]:6443")) == "[fd00::1]:6443");
    CHECK(endpoint_text(parsed("fd00:ec2::254")) == "[fd00:ec2::254]:*");
    // An IPv4-mapped address is the IPv4 address, as the kernel side reports it.
    CHECK(parsed("[::ffff:10.96.0.1]:443") == parsed("10.96.0.1:443"));
    CHECK(parsed("10.96.0.1:443").family == LATERAL_AF_INET);
    CHECK(parsed("[fd00::1]:443").family == LATERAL_AF_INET6);
}

TEST_CASE("malformed endpoints are refused with a reason")
{
    CHECK(problem("10.96.0.1:").find("empty port") != std::string::npos);
    CHECK(problem("10.96.0.1:70000").find("port") != std::string::npos);
    CHECK(problem("10.96.0.1:0").find("port") != std::string::npos);
    CHECK(problem("kubernetes.default:443").find("not an IPv4 or IPv6") != std::string::npos);
    CHECK(problem("[fd00::1").find("']'") != std::string::npos);
    CHECK(problem("[fd00::1]443").find("':<port>'") != std::string::npos);
    CHECK_FALSE(problem("").empty());
    CHECK_FALSE(problem("10.96.0.300").empty());
}

TEST_CASE("matching: any port, any address, exact")
{
    auto api = parsed("10.96.0.1:443");
    auto metadata = parsed("169.254.169.254");
    auto kubelet = parsed(":10250");
    CHECK(endpoint_matches(api, parsed("10.96.0.1:443")));
    CHECK_FALSE(endpoint_matches(api, parsed("10.96.0.1:80")));
    CHECK_FALSE(endpoint_matches(api, parsed("10.96.0.2:443")));
    CHECK(endpoint_matches(metadata, parsed("169.254.169.254:80")));
    CHECK(endpoint_matches(metadata, parsed("169.254.169.254:8080")));
    CHECK_FALSE(endpoint_matches(metadata, parsed("169.254.169.253:80")));
    CHECK(endpoint_matches(kubelet, parsed("192.168.1.5:10250")));
    CHECK(endpoint_matches(kubelet, parsed("[fd00::5]:10250")));
    CHECK_FALSE(endpoint_matches(kubelet, parsed("192.168.1.5:10251")));
    // The same bytes in another family are another address.
    CHECK_FALSE(endpoint_matches(parsed("[::a60:1]:443"), parsed("10.96.0.1:443")));
}

TEST_CASE("classify prefers the API server over a port rule")
{
    std::vector<WatchedEndpoint> watched{
        {parsed(":10250"), Destination::kubelet},
        {parsed("10.0.0.1:10250"), Destination::api_server},
    };
    CHECK(classify(watched, parsed("10.0.0.1:10250"))->destination == Destination::api_server);
    CHECK(classify(watched, parsed("10.0.0.2:10250"))->destination == Destination::kubelet);
    CHECK_FALSE(classify(watched, parsed("10.0.0.2:443")).has_value());
}

TEST_CASE("the API server from KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT")
{
    std::map<std::string, const char *> environment;
    auto lookup = [&](const char *name) -> const char * {
        auto found = environment.find(name);
        return found == environment.end() ? nullptr : found->second;
    };
    CHECK_FALSE(api_server_from_environment(lookup).has_value());
    environment["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
    CHECK_FALSE(api_server_from_environment(lookup).has_value()); // no port
    environment["KUBERNETES_SERVICE_PORT"] = "443";
    CHECK(endpoint_text(*api_server_from_environment(lookup)) == "10.96.0.1:443");
    environment["KUBERNETES_SERVICE_HOST"] = "fd00:10:96::1";
    CHECK(endpoint_text(*api_server_from_environment(lookup)) == "[fd00:10:96::1]:443");
    environment["KUBERNETES_SERVICE_PORT"] = "https";
    CHECK_FALSE(api_server_from_environment(lookup).has_value());
}
