// SPDX-License-Identifier: Apache-2.0
#include "dns_query.hpp"

namespace vigil_cryptomining {
namespace {

constexpr std::size_t header_size = 12;
constexpr std::size_t max_name_size = 253;

uint16_t read_u16(std::span<const uint8_t> bytes, std::size_t at)
{
    return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

// A standard query (QR 0, opcode 0) with one question and no answers.
bool is_query_header(std::span<const uint8_t> message)
{
    return message.size() >= header_size && (message[2] & 0xF8) == 0 && read_u16(message, 4) == 1 &&
           read_u16(message, 6) == 0 && read_u16(message, 8) == 0;
}

std::optional<DnsQuestion> parse_question(std::span<const uint8_t> message)
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

} // namespace

std::optional<DnsQuestion> parse_dns_query(std::span<const uint8_t> message)
{
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

std::string dns_type_name(uint16_t type)
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

} // namespace vigil_cryptomining
