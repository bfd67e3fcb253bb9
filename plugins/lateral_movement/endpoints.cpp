// SPDX-License-Identifier: Apache-2.0
#include "endpoints.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "lateral_events.h"

namespace vigil_lateral_movement {
namespace {

std::optional<uint16_t> parse_port(std::string_view text)
{
    unsigned value = 0;
    const auto *end = text.data() + text.size();
    auto [stop, problem] = std::from_chars(text.data(), end, value);
    if (text.empty() || problem != std::errc() || stop != end || value == 0 || value > 65535) {
        return std::nullopt;
    }
    return static_cast<uint16_t>(value);
}

bool parse_address(std::string_view text, Endpoint &endpoint)
{
    const std::string address(text);
    if (inet_pton(AF_INET, address.c_str(), endpoint.address.data()) == 1) {
        endpoint.family = LATERAL_AF_INET;
        return true;
    }
    std::array<uint8_t, 16> six{};
    if (inet_pton(AF_INET6, address.c_str(), six.data()) != 1) {
        return false;
    }
    constexpr std::array<uint8_t, 12> mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(mapped_prefix.begin(), mapped_prefix.end(), six.begin())) {
        endpoint.family = LATERAL_AF_INET;
        std::copy(six.begin() + 12, six.end(), endpoint.address.begin());
        return true;
    }
    endpoint.family = LATERAL_AF_INET6;
    endpoint.address = six;
    return true;
}

} // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string &error)
{
    Endpoint endpoint;
    std::string_view address = text;
    std::string_view port;

    if (text.starts_with("[")) {
        auto close = text.find(']');
        if (close == std::string_view::npos) {
            error = "'" + std::string(text) + "': no ']' after the IPv6 address";
            return std::nullopt;
        }
        address = text.substr(1, close - 1);
        auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(":")) {
                error = "'" + std::string(text) + "': expected ':<port>' after ']'";
                return std::nullopt;
            }
            port = rest.substr(1);
            if (port.empty()) {
                error = "'" + std::string(text) + "': empty port";
                return std::nullopt;
            }
        }
    } else if (auto colon = text.rfind(':'); colon != std::string_view::npos && text.find(':') == colon) {
        // One colon: IPv4 (or nothing) before it, a port after it. More colons: a bare IPv6 address.
        address = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (port.empty()) {
            error = "'" + std::string(text) + "': empty port";
            return std::nullopt;
        }
    }

    if (!port.empty()) {
        auto number = parse_port(port);
        if (!number) {
            error = "'" + std::string(text) + "': the port must be a number from 1 to 65535";
            return std::nullopt;
        }
        endpoint.port = *number;
    }
    if (!address.empty() && !parse_address(address, endpoint)) {
        error = "'" + std::string(text) + "': '" + std::string(address) + "' is not an IPv4 or IPv6 address";
        return std::nullopt;
    }
    if (endpoint.family == 0 && endpoint.port == 0) {
        error = "'" + std::string(text) + "' names neither an address nor a port";
        return std::nullopt;
    }
    return endpoint;
}

bool endpoint_matches(const Endpoint &watched, const Endpoint &actual)
{
    if (watched.port != 0 && watched.port != actual.port) {
        return false;
    }
    return watched.family == 0 || (watched.family == actual.family && watched.address == actual.address);
}

std::string endpoint_text(const Endpoint &endpoint)
{
    std::string text;
    char buffer[INET6_ADDRSTRLEN] = {};
    if (endpoint.family == LATERAL_AF_INET) {
        inet_ntop(AF_INET, endpoint.address.data(), buffer, sizeof(buffer));
        text = buffer;
    } else if (endpoint.family == LATERAL_AF_INET6) {
        inet_ntop(AF_INET6, endpoint.address.data(), buffer, sizeof(buffer));
        text = std::string("[") + buffer + "]";
    } else {
        text = "*";
    }
    text += ":";
    text += endpoint.port != 0 ? std::to_string(endpoint.port) : "*";
    return text;
}

const char *destination_name(Destination destination)
{
    switch (destination) {
    case Destination::api_server:
        return "api_server";
    case Destination::kubelet:
        return "kubelet";
    case Destination::etcd:
        return "etcd";
    case Destination::metadata:
        return "metadata";
    }
    return "unknown";
}

std::optional<WatchedEndpoint> classify(std::span<const WatchedEndpoint> watched, const Endpoint &actual)
{
    std::optional<WatchedEndpoint> found;
    for (const auto &entry : watched) {
        if (!endpoint_matches(entry.endpoint, actual)) {
            continue;
        }
        if (entry.destination == Destination::api_server) {
            return entry;
        }
        if (!found) {
            found = entry;
        }
    }
    return found;
}

} // namespace vigil_lateral_movement
