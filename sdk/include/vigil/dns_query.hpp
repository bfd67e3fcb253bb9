// SPDX-License-Identifier: Apache-2.0
// The question of a DNS query, from the first bytes of the message a BPF
// program captured (a dns_send stage, say). Input from any process in any
// container: every length is checked, nothing is trusted. Header-only.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace vigil {

struct DnsQuestion {
    std::string name;       // dotted, without the root's trailing dot: "pool.supportxmr.com"
    uint16_t type = 0;      // 1 A, 28 AAAA, ...; 0 when the name filled the capture and the type was cut off
    bool over_tcp = false;  // the message started with TCP's two-byte length
    bool truncated = false; // the capture ended inside the name: it is the name's beginning
};

namespace dns_detail {

constexpr std::size_t header_size = 12;
constexpr std::size_t max_name_size = 253;

inline uint16_t read_u16(std::span<const uint8_t> bytes, std::size_t at)
{
    return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

// A standard query (QR 0, opcode 0) with one question and no answers.
inline bool is_query_header(std::span<const uint8_t> message)
{
    return message.size() >= header_size && (message[2] & 0xF8) == 0 && read_u16(message, 4) == 1 &&
           read_u16(message, 6) == 0 && read_u16(message, 8) == 0;
}

inline std::optional<DnsQuestion> parse_question(std::span<const uint8_t> message)
{
    DnsQuestion question;
    std::size_t at = header_size;
    while (true) {
        if (at >= message.size()) {
            question.truncated = true;
            break;
        }
        auto length = message[at];
        if (length == 0) {
            ++at;
            break;
        }
        if ((length & 0xC0) != 0) {
            return std::nullopt; // a query's name is never compressed
        }
        ++at;
        if (!question.name.empty()) {
            question.name.push_back('.');
        }
        for (std::size_t index = 0; index < length; ++index, ++at) {
            if (at >= message.size()) {
                question.truncated = true;
                break;
            }
            auto character = static_cast<char>(message[at]);
            // A '.' inside a label would make a name that is not what was asked.
            question.name.push_back(character == '.' || character == '\0' ? '_' : character);
        }
        if (question.truncated) {
            break;
        }
        if (question.name.size() > max_name_size) {
            return std::nullopt;
        }
    }
    if (question.name.empty()) {
        return std::nullopt; // the root: nothing to match
    }
    if (!question.truncated && at + 2 <= message.size()) {
        question.type = read_u16(message, at);
    }
    return question;
}

} // namespace dns_detail

// The first question of the query in @message (UDP, or TCP with its length prefix), or nothing
// when @message is not a well-formed standard query.
inline std::optional<DnsQuestion> parse_dns_query(std::span<const uint8_t> message)
{
    using dns_detail::is_query_header;
    using dns_detail::parse_question;
    if (is_query_header(message)) {
        if (auto question = parse_question(message)) {
            return question;
        }
    }
    // DNS over TCP: a two-byte length first.
    if (message.size() > 2 && is_query_header(message.subspan(2))) {
        if (auto question = parse_question(message.subspan(2))) {
            question->over_tcp = true;
            return question;
        }
    }
    return std::nullopt;
}

// "A", "AAAA", "TXT"... or the number.
inline std::string dns_type_name(uint16_t type)
{
    switch (type) {
    case 1:
        return "A";
    case 5:
        return "CNAME";
    case 15:
        return "MX";
    case 16:
        return "TXT";
    case 28:
        return "AAAA";
    case 33:
        return "SRV";
    case 65:
        return "HTTPS";
    default:
        return std::to_string(type);
    }
}

} // namespace vigil
