// SPDX-License-Identifier: Apache-2.0
#include "profile/observation.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "profile/entry_text.hpp"

namespace vigil_drift {

namespace {

std::string lower(std::string_view text)
{
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
    return lowered;
}

} // namespace

std::string canonical_address(std::string_view address)
{
    std::string text(address);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
        char buffer[INET_ADDRSTRLEN];
        return inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
        // An IPv4 peer reached through a dual-stack socket is the same peer.
        static constexpr unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(v6.s6_addr, mapped_prefix, sizeof mapped_prefix) == 0) {
            std::memcpy(&v4, v6.s6_addr + 12, 4);
            char buffer[INET_ADDRSTRLEN];
            return inet_ntop(AF_INET, &v4, buffer, sizeof buffer);
        }
        char buffer[INET6_ADDRSTRLEN];
        return inet_ntop(AF_INET6, &v6, buffer, sizeof buffer);
    }
    return escape_part(lower(text));
}

Observation exec_observation(std::string_view path, std::string_view argv0, std::string_view parent_exe)
{
    return {BehaviourClass::executables,
            escape_part(path) + " argv0=" + escape_part(argv0) + " parent=" + escape_part(parent_exe)};
}

Observation file_observation(std::string_view path, bool write)
{
    return {BehaviourClass::files, std::string(write ? "write " : "read ") + escape_part(path)};
}

Observation connection_observation(std::string_view protocol, std::string_view address, std::uint16_t port)
{
    std::string canonical = canonical_address(address);
    if (canonical.find(':') != std::string::npos) {
        canonical = "[" + canonical + "]";
    }
    return {BehaviourClass::connections, escape_part(lower(protocol)) + " " + canonical + ":" + std::to_string(port)};
}

Observation listening_observation(std::string_view protocol, std::uint16_t port)
{
    return {BehaviourClass::listening, escape_part(lower(protocol)) + " " + std::to_string(port)};
}

Observation dns_observation(std::string_view name)
{
    if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    return {BehaviourClass::dns, escape_part(lower(name))};
}

} // namespace vigil_drift
