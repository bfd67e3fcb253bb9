// SPDX-License-Identifier: Apache-2.0
#include "profile/collapse.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <set>

namespace vigil_drift {

namespace {

constexpr std::string_view wildcard = "*";

// ---- files and DNS names: sequences of components, outermost first ----

using Components = std::vector<std::string>;

std::vector<std::string> split(std::string_view text, char separator)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

// "write /tmp/x" -> {"write", "", "tmp", "x"}; "a.example.com" -> {"com", "example", "a"}.
Components components(BehaviourClass behaviour, std::string_view entry)
{
    if (behaviour == BehaviourClass::files) {
        auto space = entry.find(' ');
        if (space == std::string_view::npos) {
            return {std::string(entry)};
        }
        Components parts{std::string(entry.substr(0, space))};
        for (auto &part : split(entry.substr(space + 1), '/')) {
            parts.push_back(std::move(part));
        }
        return parts;
    }
    auto labels = split(entry, '.');
    std::reverse(labels.begin(), labels.end());
    return labels;
}

std::string join(BehaviourClass behaviour, const Components &parts)
{
    std::string text;
    if (behaviour == BehaviourClass::files) {
        text = parts.front();
        text += ' ';
        for (std::size_t index = 1; index < parts.size(); ++index) {
            if (index > 1) {
                text += '/';
            }
            text += parts[index];
        }
        return text;
    }
    for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
        if (!text.empty() || part != parts.rbegin()) {
            text += '.';
        }
        text += *part;
    }
    return text;
}

// The fewest components a collapsible parent has: files {mode, "", top}
// (never the root), DNS {tld, domain} (never a bare TLD).
std::size_t min_parent_size(BehaviourClass behaviour)
{
    return behaviour == BehaviourClass::files ? 3 : 2;
}

bool same_prefix(const Components &left, const Components &right, std::size_t length)
{
    return left.size() > length && right.size() > length &&
           std::equal(left.begin(), left.begin() + static_cast<std::ptrdiff_t>(length), right.begin());
}

bool hierarchy_covers(BehaviourClass behaviour, std::string_view pattern, std::string_view entry)
{
    auto pattern_parts = components(behaviour, pattern);
    auto entry_parts = components(behaviour, entry);
    if (pattern_parts.size() != entry_parts.size()) {
        return false;
    }
    for (std::size_t index = 0; index < pattern_parts.size(); ++index) {
        if (pattern_parts[index] != wildcard && pattern_parts[index] != entry_parts[index]) {
            return false;
        }
    }
    return true;
}

std::optional<Collapse> hierarchy_collapse(BehaviourClass behaviour, std::string_view entry, const EntryMap &entries,
                                           std::size_t threshold)
{
    auto parts = components(behaviour, entry);
    std::vector<Components> existing;
    existing.reserve(entries.size());
    for (const auto &[text, stats] : entries) {
        existing.push_back(components(behaviour, text));
    }
    // Deepest parent first: the most specific directory that is crowded.
    for (std::size_t parent = parts.size() - 1; parent >= min_parent_size(behaviour) && parent < parts.size();
         --parent) {
        std::set<std::string, std::less<>> children{parts[parent]};
        for (const auto &other : existing) {
            if (same_prefix(other, parts, parent)) {
                children.insert(other[parent]);
            }
        }
        bool collapsed_before = children.contains(wildcard) && children.size() > 1;
        if (children.size() <= threshold && !collapsed_before) {
            continue;
        }
        Collapse collapse;
        auto renamed = [&](Components source) {
            source[parent] = std::string(wildcard);
            return join(behaviour, source);
        };
        std::size_t index = 0;
        for (const auto &[text, stats] : entries) {
            const auto &other = existing[index++];
            if (same_prefix(other, parts, parent) && other[parent] != wildcard) {
                collapse.renames.emplace_back(text, renamed(other));
            }
        }
        collapse.new_entry = renamed(parts);
        return collapse;
    }
    return std::nullopt;
}

// ---- connections: "<protocol> <address>:<port>" ----

struct Endpoint {
    std::string protocol;
    std::string address; // without brackets; a network has "/<length>"
    std::string port;
};

std::optional<Endpoint> parse_endpoint(std::string_view entry)
{
    auto space = entry.find(' ');
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    Endpoint endpoint{std::string(entry.substr(0, space)), {}, {}};
    auto rest = entry.substr(space + 1);
    if (rest.starts_with('[')) {
        auto close = rest.find("]:");
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        endpoint.address = rest.substr(1, close - 1);
        endpoint.port = rest.substr(close + 2);
    } else {
        auto colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        endpoint.address = rest.substr(0, colon);
        endpoint.port = rest.substr(colon + 1);
    }
    return endpoint;
}

// An address as 16 bytes and the family's network prefix length.
struct Address {
    int family = 0;
    std::array<unsigned char, 16> bytes{};
    unsigned prefix = 0; // bits of the collapse network: 24 or 64
};

std::optional<Address> parse_address(const std::string &text)
{
    Address address;
    if (inet_pton(AF_INET, text.c_str(), address.bytes.data()) == 1) {
        address.family = AF_INET;
        address.prefix = 24;
        return address;
    }
    if (inet_pton(AF_INET6, text.c_str(), address.bytes.data()) == 1) {
        address.family = AF_INET6;
        address.prefix = 64;
        return address;
    }
    return std::nullopt;
}

Address network_of(Address address)
{
    for (std::size_t byte = address.prefix / 8; byte < address.bytes.size(); ++byte) {
        address.bytes[byte] = 0;
    }
    return address;
}

std::string network_text(const Address &network)
{
    char buffer[INET6_ADDRSTRLEN];
    inet_ntop(network.family, network.bytes.data(), buffer, sizeof buffer);
    return std::string(buffer) + "/" + std::to_string(network.prefix);
}

std::string endpoint_text(const std::string &protocol, const std::string &address, const std::string &port)
{
    bool v6 = address.find(':') != std::string::npos;
    return protocol + " " + (v6 ? "[" + address + "]" : address) + ":" + port;
}

// The network a pattern names, when the text is exactly one we would make.
std::optional<Address> parse_network(const std::string &text)
{
    auto slash = text.find('/');
    if (slash == std::string::npos) {
        return std::nullopt;
    }
    auto address = parse_address(text.substr(0, slash));
    if (!address || text.substr(slash + 1) != std::to_string(address->prefix) ||
        network_of(*address).bytes != address->bytes) {
        return std::nullopt;
    }
    return address;
}

bool connection_covers(std::string_view pattern, std::string_view entry)
{
    auto outer = parse_endpoint(pattern);
    auto inner = parse_endpoint(entry);
    if (!outer || !inner || outer->protocol != inner->protocol || outer->port != inner->port) {
        return false;
    }
    if (outer->address == inner->address) {
        return true;
    }
    auto network = parse_network(outer->address);
    auto address = parse_address(inner->address);
    return network && address && address->family == network->family && network_of(*address).bytes == network->bytes;
}

std::optional<Collapse> connection_collapse(std::string_view entry, const EntryMap &entries, std::size_t threshold)
{
    auto endpoint = parse_endpoint(entry);
    if (!endpoint) {
        return std::nullopt;
    }
    auto address = parse_address(endpoint->address);
    if (!address) {
        return std::nullopt; // not an IP address: nothing to group by
    }
    auto network = network_of(*address);
    std::set<std::string, std::less<>> addresses{endpoint->address};
    std::vector<std::string> members;
    for (const auto &[text, stats] : entries) {
        auto other = parse_endpoint(text);
        if (!other || other->protocol != endpoint->protocol || other->port != endpoint->port) {
            continue;
        }
        auto other_address = parse_address(other->address);
        if (other_address && other_address->family == address->family &&
            network_of(*other_address).bytes == network.bytes) {
            addresses.insert(other->address);
            members.push_back(text);
        }
    }
    if (addresses.size() <= threshold) {
        return std::nullopt;
    }
    Collapse collapse;
    collapse.new_entry = endpoint_text(endpoint->protocol, network_text(network), endpoint->port);
    for (auto &member : members) {
        collapse.renames.emplace_back(std::move(member), collapse.new_entry);
    }
    return collapse;
}

} // namespace

bool is_pattern(BehaviourClass behaviour, std::string_view entry)
{
    switch (behaviour) {
    case BehaviourClass::files:
    case BehaviourClass::dns:
        // Observed text has '*' escaped (entry_text.hpp): a '*' is a wildcard.
        return entry.find('*') != std::string_view::npos;
    case BehaviourClass::connections: {
        auto endpoint = parse_endpoint(entry);
        return endpoint && parse_network(endpoint->address).has_value();
    }
    case BehaviourClass::executables:
    case BehaviourClass::listening:
        return false;
    }
    return false;
}

bool covers(BehaviourClass behaviour, std::string_view pattern, std::string_view entry)
{
    if (pattern == entry) {
        return true;
    }
    switch (behaviour) {
    case BehaviourClass::files:
    case BehaviourClass::dns:
        return is_pattern(behaviour, pattern) && hierarchy_covers(behaviour, pattern, entry);
    case BehaviourClass::connections:
        return connection_covers(pattern, entry);
    case BehaviourClass::executables:
    case BehaviourClass::listening:
        return false;
    }
    return false;
}

std::optional<std::string> covering_pattern(BehaviourClass behaviour, std::string_view entry, const EntrySet &patterns)
{
    for (const auto &pattern : patterns) {
        if (covers(behaviour, pattern, entry)) {
            return pattern;
        }
    }
    return std::nullopt;
}

std::optional<Collapse> find_collapse(BehaviourClass behaviour, std::string_view entry, const EntryMap &entries,
                                      std::size_t threshold)
{
    switch (behaviour) {
    case BehaviourClass::files:
    case BehaviourClass::dns:
        return hierarchy_collapse(behaviour, entry, entries, threshold);
    case BehaviourClass::connections:
        return connection_collapse(entry, entries, threshold);
    case BehaviourClass::executables:
    case BehaviourClass::listening:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace vigil_drift
