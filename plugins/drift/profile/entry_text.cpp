// SPDX-License-Identifier: Apache-2.0
#include "profile/entry_text.hpp"

namespace vigil_drift {

namespace {

bool needs_escape(unsigned char byte)
{
    return byte == '%' || byte == ' ' || byte == '*' || byte < 0x20 || byte == 0x7f;
}

int hex_value(char digit)
{
    if (digit >= '0' && digit <= '9') {
        return digit - '0';
    }
    if (digit >= 'a' && digit <= 'f') {
        return digit - 'a' + 10;
    }
    if (digit >= 'A' && digit <= 'F') {
        return digit - 'A' + 10;
    }
    return -1;
}

} // namespace

std::string escape_part(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string escaped;
    escaped.reserve(text.size());
    for (char character : text) {
        auto byte = static_cast<unsigned char>(character);
        if (needs_escape(byte)) {
            escaped += '%';
            escaped += hex[byte >> 4];
            escaped += hex[byte & 0x0f];
        } else {
            escaped += character;
        }
    }
    return escaped;
}

std::string unescape_part(std::string_view text)
{
    std::string plain;
    plain.reserve(text.size());
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] == '%' && index + 2 < text.size()) {
            int high = hex_value(text[index + 1]);
            int low = hex_value(text[index + 2]);
            if (high >= 0 && low >= 0) {
                plain += static_cast<char>(high * 16 + low);
                index += 2;
                continue;
            }
        }
        plain += text[index];
    }
    return plain;
}

} // namespace vigil_drift
