// SPDX-License-Identifier: Apache-2.0
// Network endpoints the plugin watches: how the configuration writes them
// ("10.96.0.1:443", ":10250", "169.254.169.254", "[fd00:ec2::254]"), how a
// connect's destination is matched against them, and the API server address
// a pod sees (KUBERNETES_SERVICE_HOST/PORT).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil_lateral_movement {

// family 0 means any address and port 0 any port, as in the kernel's table.
struct Endpoint {
    uint16_t family = 0;               // LATERAL_AF_INET, LATERAL_AF_INET6, or 0
    uint16_t port = 0;                 // host byte order
    std::array<uint8_t, 16> address{}; // network byte order; IPv4 in the first 4 bytes

    bool operator==(const Endpoint &) const = default;
};

// Parses "a.b.c.d:port", "a.b.c.d", "[v6]:port", "[v6]", a bare v6 address,
// or ":port". An IPv4-mapped IPv6 address becomes IPv4, as the kernel side
// reports it. Returns nullopt and sets @error for anything else.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string &error);

// True when the destination @actual is what @watched names.
bool endpoint_matches(const Endpoint &watched, const Endpoint &actual);

// "10.96.0.1:443", "[fd00:ec2::254]:80", "*:10250", "169.254.169.254:*".
std::string endpoint_text(const Endpoint &endpoint);

// The destinations with rules of their own.
enum class Destination {
    api_server,
    kubelet,
    etcd,
    metadata,
};
const char *destination_name(Destination destination);

struct WatchedEndpoint {
    Endpoint endpoint;
    Destination destination;
};

// The first watched endpoint @actual matches, API server entries first: a
// connect to the API server on an unusual port stays an API server connect.
std::optional<WatchedEndpoint> classify(std::span<const WatchedEndpoint> watched, const Endpoint &actual);

// The in-cluster API server address from KUBERNETES_SERVICE_HOST and
// KUBERNETES_SERVICE_PORT as @lookup (getenv) gives them, or nullopt.
template <class Lookup> std::optional<Endpoint> api_server_from_environment(Lookup lookup)
{
    const char *host = lookup("KUBERNETES_SERVICE_HOST");
    const char *port = lookup("KUBERNETES_SERVICE_PORT");
    if (host == nullptr || host[0] == '\0' || port == nullptr || port[0] == '\0') {
        return std::nullopt;
    }
    std::string text(host);
    if (text.find(':') != std::string::npos) {
        text = "[" + text + "]";
    }
    text += ":";
    text += port;
    std::string error;
    return parse_endpoint(text, error);
}

} // namespace vigil_lateral_movement
