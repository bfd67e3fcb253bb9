// SPDX-License-Identifier: Apache-2.0
// One thing a container did, as the canonical entry text a profile stores.
//
// Entry formats (the JSON export shows them as they are). Every variable part
// is escaped by escape_part (entry_text.hpp): '%', ' ', '*' and control bytes
// become %XX, so fields are separated by single spaces and a literal '*' in a
// name can never be taken for a collapsed pattern's wildcard.
//
//   executables  "<path> argv0=<argv0> parent=<parent executable>"
//                e.g. "/usr/bin/curl argv0=curl parent=/bin/sh"; an unknown
//                parent is "parent=". Never collapsed.
//   files        "write <path>" or "read <path>", e.g. "write /tmp/x".
//                Collapsed: "write /tmp/*" (see collapse.hpp).
//   connections  "<protocol> <address>:<port>", IPv6 in brackets:
//                "tcp 10.0.0.5:443", "udp [2001:db8::1]:53". Addresses are
//                canonical (inet_ntop); text that is no IP address is kept
//                lower-cased. Collapsed: "tcp 10.0.0.0/24:443",
//                "tcp [2001:db8::/64]:443".
//   listening    "<protocol> <port>", e.g. "tcp 8080".
//   dns          the name, lower-cased, without a trailing dot:
//                "api.example.com". Collapsed: "*.example.com".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "profile/behaviour.hpp"

namespace vigil_drift {

struct Observation {
    BehaviourClass behaviour;
    std::string entry;

    bool operator==(const Observation &) const = default;
};

Observation exec_observation(std::string_view path, std::string_view argv0, std::string_view parent_exe);
// write: opened for writing; otherwise a read (the caller reports reads only
// under sensitive prefixes).
Observation file_observation(std::string_view path, bool write);
// protocol: "tcp" or "udp" (lower-cased); address: IPv4 or IPv6 text.
Observation connection_observation(std::string_view protocol, std::string_view address, std::uint16_t port);
Observation listening_observation(std::string_view protocol, std::uint16_t port);
Observation dns_observation(std::string_view name);

// The canonical text of an IP address (IPv4-mapped IPv6 becomes IPv4); text
// that is no IP address is returned lower-cased and escaped.
std::string canonical_address(std::string_view address);

} // namespace vigil_drift
