// SPDX-License-Identifier: Apache-2.0
// The question of a DNS query, from the first bytes of the message the kernel
// side captured. Input from any process in any container: every length is
// checked, nothing is trusted.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace vigil_cryptomining {

struct DnsQuestion {
    std::string name;       // dotted, without the root's trailing dot: "pool.supportxmr.com"
    uint16_t type = 0;      // 1 A, 28 AAAA, ...; 0 when the name filled the capture and the type was cut off
    bool over_tcp = false;  // the message started with TCP's two-byte length
    bool truncated = false; // the capture ended inside the name: it is the name's beginning
};

// The first question of the query in @message (UDP, or TCP with its length prefix), or nothing
// when @message is not a well-formed standard query.
std::optional<DnsQuestion> parse_dns_query(std::span<const uint8_t> message);

// "A", "AAAA", "TXT"... or the number.
std::string dns_type_name(uint16_t type);

} // namespace vigil_cryptomining
