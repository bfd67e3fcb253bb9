// SPDX-License-Identifier: Apache-2.0
// Option values for plugin tests, and the TOML literals a plugin's declared
// defaults are written in (true/false, integers, floats, "strings" and
// 'strings', ["lists", "of", "strings"]): what FakeHost gives init.
#pragma once

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

// ---------------------------------------------------------------------------
// Option values and the TOML literals of their defaults
// ---------------------------------------------------------------------------

using OptionValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

namespace detail {

inline std::string_view skip_space(std::string_view text)
{
    while (!text.empty() &&
           (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
        text.remove_prefix(1);
    }
    return text;
}

inline std::string_view trim(std::string_view text)
{
    text = skip_space(text);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

[[noreturn]] inline void bad_literal(std::string_view literal, const char *why)
{
    throw std::invalid_argument("TOML literal '" + std::string(literal) + "': " + why);
}

inline void append_utf8(std::string &out, uint32_t code)
{
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// Consumes one "basic" or 'literal' string from the start of @text.
inline std::string take_string(std::string_view &text, std::string_view literal)
{
    if (text.empty() || (text.front() != '"' && text.front() != '\'')) {
        bad_literal(literal, "expected a string");
    }
    const char quote = text.front();
    text.remove_prefix(1);
    std::string value;
    while (true) {
        if (text.empty()) {
            bad_literal(literal, "unterminated string");
        }
        char c = text.front();
        text.remove_prefix(1);
        if (c == quote) {
            return value;
        }
        if (c != '\\' || quote == '\'') {
            value += c;
            continue;
        }
        if (text.empty()) {
            bad_literal(literal, "unterminated escape");
        }
        char escape = text.front();
        text.remove_prefix(1);
        switch (escape) {
        case '"':
            value += '"';
            break;
        case '\\':
            value += '\\';
            break;
        case 'n':
            value += '\n';
            break;
        case 't':
            value += '\t';
            break;
        case 'r':
            value += '\r';
            break;
        case 'b':
            value += '\b';
            break;
        case 'f':
            value += '\f';
            break;
        case 'u':
        case 'U': {
            std::size_t digits = escape == 'u' ? 4 : 8;
            uint32_t code = 0;
            if (text.size() < digits ||
                std::from_chars(text.data(), text.data() + digits, code, 16).ptr != text.data() + digits) {
                bad_literal(literal, "bad unicode escape");
            }
            text.remove_prefix(digits);
            append_utf8(value, code);
            break;
        }
        default:
            bad_literal(literal, "unknown escape");
        }
    }
}

// Digits with single underscores between them, as TOML allows; the underscores removed.
inline std::string without_underscores(std::string_view text, std::string_view literal)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '_') {
            bool between_digits = i > 0 && i + 1 < text.size() &&
                                  std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                                  std::isdigit(static_cast<unsigned char>(text[i + 1]));
            if (!between_digits) {
                bad_literal(literal, "misplaced underscore");
            }
            continue;
        }
        out += text[i];
    }
    return out;
}

} // namespace detail

// The value of the TOML literal @literal for an option of @type.
inline OptionValue parse_toml_literal(std::string_view literal, vigil_config_type type)
{
    std::string_view text = detail::trim(literal);
    switch (type) {
    case VIGIL_CONFIG_BOOL:
        if (text == "true") {
            return true;
        }
        if (text == "false") {
            return false;
        }
        detail::bad_literal(literal, "expected true or false");
    case VIGIL_CONFIG_INTEGER: {
        std::string digits = detail::without_underscores(text, literal);
        std::string_view number = digits;
        if (!number.empty() && number.front() == '+') {
            number.remove_prefix(1);
        }
        int64_t value = 0;
        auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value, 10);
        if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
            detail::bad_literal(literal, "expected a decimal integer");
        }
        return value;
    }
    case VIGIL_CONFIG_FLOAT: {
        std::string number = detail::without_underscores(text, literal);
        if (number.empty()) {
            detail::bad_literal(literal, "expected a float");
        }
        char *end = nullptr; // strtod also reads TOML's inf and nan
        errno = 0;
        double value = std::strtod(number.c_str(), &end);
        if (end != number.c_str() + number.size() || errno == ERANGE) {
            detail::bad_literal(literal, "expected a float");
        }
        return value;
    }
    case VIGIL_CONFIG_STRING: {
        std::string value = detail::take_string(text, literal);
        if (!detail::trim(text).empty()) {
            detail::bad_literal(literal, "text after the string");
        }
        return value;
    }
    case VIGIL_CONFIG_STRING_LIST: {
        std::vector<std::string> items;
        if (text.empty() || text.front() != '[') {
            detail::bad_literal(literal, "expected [");
        }
        text = detail::skip_space(text.substr(1));
        while (!text.empty() && text.front() != ']') {
            items.push_back(detail::take_string(text, literal));
            text = detail::skip_space(text);
            if (!text.empty() && text.front() == ',') {
                text = detail::skip_space(text.substr(1));
            } else if (text.empty() || text.front() != ']') {
                detail::bad_literal(literal, "expected , or ]");
            }
        }
        if (text.empty()) {
            detail::bad_literal(literal, "unterminated list");
        }
        if (!detail::trim(text.substr(1)).empty()) {
            detail::bad_literal(literal, "text after the list");
        }
        return items;
    }
    }
    detail::bad_literal(literal, "unknown option type");
}

} // namespace vigil::testing
