// SPDX-License-Identifier: Apache-2.0
#include "channel.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <random>

namespace vigil_splunk_hec {

std::string random_channel_uuid()
{
    std::random_device source; // the kernel's random pool
    std::array<uint8_t, 16> bytes{};
    for (std::size_t index = 0; index < bytes.size(); index += 4) {
        uint32_t word = source();
        for (std::size_t byte = 0; byte < 4; ++byte) {
            bytes[index + byte] = static_cast<uint8_t>(word >> (8 * byte));
        }
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40); // version 4
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
    char text[37];
    std::snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                  bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

} // namespace vigil_splunk_hec
