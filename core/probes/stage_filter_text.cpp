// SPDX-License-Identifier: Apache-2.0
#include "core/probes/stage_filter_text.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vigil::probes {
namespace {

std::string address_text(const AddressKey &key)
{
    vigil_connect_address address{};
    std::memcpy(&address, key.data(), std::min(key.size(), sizeof(address)));
    char text[INET6_ADDRSTRLEN] = {};
    int family = address.family == AF_INET6 ? AF_INET6 : AF_INET; // the kernel's numbers, as on the wire
    inet_ntop(family, address.address, text, sizeof(text));
    return family == AF_INET6 ? "[" + std::string(text) + "]" : std::string(text);
}

} // namespace

// "ports 53, 3333 and 169.254.169.254 from containers; port 53 from host tasks", from the filter's entries.
std::string connect_filter_text(const std::map<uint32_t, uint32_t> &ports,
                                const std::map<AddressKey, uint32_t> &addresses)
{
    std::string text;
    for (auto [scope, who] :
         {std::pair{VIGIL_SCOPE_CONTAINER, "containers"}, std::pair{VIGIL_SCOPE_HOST, "host tasks"}}) {
        std::string wanted;
        bool every = false;
        std::string port_list;
        for (auto [entry, bits] : ports) {
            if (VIGIL_STAGES_OF(scope, bits) == 0 || entry >= VIGIL_CONNECT_FILTER_HINTS) {
                continue;
            }
            if (entry == VIGIL_CONNECT_FILTER_EVERY) {
                every = true;
            } else {
                port_list += (port_list.empty() ? "" : ", ") + std::to_string(entry);
            }
        }
        std::string address_list;
        for (const auto &[key, bits] : addresses) {
            if (VIGIL_STAGES_OF(scope, bits) != 0) {
                address_list += (address_list.empty() ? "" : ", ") + address_text(key);
            }
        }
        if (every) {
            wanted = "every connect";
        } else {
            wanted = port_list.empty() ? "" : "ports " + port_list;
            if (!address_list.empty()) {
                wanted += (wanted.empty() ? "" : " and ") + std::string("any port of ") + address_list;
            }
        }
        if (!wanted.empty()) {
            text += (text.empty() ? "" : "; ") + wanted + " from " + who;
        }
    }
    return text.empty() ? "no connect" : text;
}

// "writes (flags 0x3), paths /proc/, /var/ and odd paths from containers; ...", from the open filter.
std::string open_filter_text(const vigil_open_filter &filter)
{
    std::string text;
    for (auto [scope, who] :
         {std::pair{VIGIL_SCOPE_CONTAINER, "containers"}, std::pair{VIGIL_SCOPE_HOST, "host tasks"}}) {
        std::vector<std::string> parts;
        if (filter.every[scope] != 0) {
            parts.emplace_back("every open");
        } else {
            uint64_t flags = 0;
            for (auto stage_flags : filter.flags[scope]) {
                flags |= stage_flags;
            }
            if (flags != 0) {
                char text_of_flags[32];
                std::snprintf(text_of_flags, sizeof(text_of_flags), "flags 0x%llx",
                              static_cast<unsigned long long>(flags));
                parts.emplace_back(text_of_flags);
            }
            std::string heads;
            for (uint8_t i = 0; i < filter.head_count; ++i) {
                if (filter.heads[i].stages[scope] == 0) {
                    continue;
                }
                char bytes[VIGIL_OPEN_HEAD_SIZE + 1] = {};
                std::memcpy(bytes, &filter.heads[i].value, VIGIL_OPEN_HEAD_SIZE);
                heads += (heads.empty() ? "" : ", ") + std::string(bytes);
            }
            if (!heads.empty()) {
                parts.push_back("paths " + heads);
            }
            if (filter.odd_paths[scope] != 0) {
                parts.emplace_back("relative paths");
            }
        }
        if (!parts.empty()) {
            text += (text.empty() ? "" : "; ") + fmt::format("{} from {}", fmt::join(parts, ", "), who);
        }
    }
    return text.empty() ? "no open" : text;
}

} // namespace vigil::probes
