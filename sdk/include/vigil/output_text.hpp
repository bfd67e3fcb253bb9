// SPDX-License-Identifier: Apache-2.0
// Text helpers for output plugins: JSON string literals, cutting text to a
// receiver's limit without splitting a UTF-8 character, keys bounded in
// length that stay distinct, ISO 8601 times, and reading one string out of an
// alert's JSON (vigil_alert.json) without a JSON library. Header-only.
//
//   std::string body;
//   vigil::text::append_json_string(body, vigil::text::utf8_prefix(summary, 1024));
//   auto pod = vigil::text::json_string_at(alert_json, {"k8s", "pod"});
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::text {

// The length of the well-formed UTF-8 sequence starting @text[at], or 0 if it is not one.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at)
{
    auto byte = [&](std::size_t index) { return static_cast<unsigned char>(text[index]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    uint32_t lowest = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        lowest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        lowest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        lowest = 0x10000;
    } else {
        return 0;
    }
    if (at + length > text.size()) {
        return 0;
    }
    uint32_t code = lead & (0x7F >> length);
    for (std::size_t index = 1; index < length; ++index) {
        if ((byte(at + index) & 0xC0) != 0x80) {
            return 0;
        }
        code = (code << 6) | (byte(at + index) & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (code < lowest || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        return 0;
    }
    return length;
}

// The longest start of @text of at most @max_bytes that does not end inside a
// UTF-8 character. Bytes count: a limit in characters is met too, since a
// character is at least one byte.
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes)
{
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    // Step back over continuation bytes to the start of the character that does not fit.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

// Appends @text as a quoted JSON string. Invalid UTF-8 (a process name is any
// bytes) becomes U+FFFD, so that a receiver that checks its input takes it.
inline void append_json_string(std::string &out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t at = 0; at < text.size();) {
        const auto byte = static_cast<unsigned char>(text[at]);
        if (byte >= 0x80) {
            auto length = utf8_sequence_length(text, at);
            if (length == 0) {
                out += "\xEF\xBF\xBD";
                ++at;
            } else {
                out.append(text.substr(at, length));
                at += length;
            }
            continue;
        }
        switch (byte) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20 || byte == 0x7F) {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
            } else {
                out += static_cast<char>(byte);
            }
        }
        ++at;
    }
    out += '"';
}

// FNV-1a, 64 bits: stable across runs and builds, unlike std::hash.
inline uint64_t stable_hash(std::string_view text)
{
    uint64_t hash = 14695981039346656037ULL;
    for (unsigned char byte : text) {
        hash = (hash ^ byte) * 1099511628211ULL;
    }
    return hash;
}

// @key if it fits in @max_bytes (at least 17); else its start and "~" and 16
// hex digits of a hash of the whole, so two long keys that differ only at the
// end stay different.
inline std::string bounded_key(std::string_view key, std::size_t max_bytes)
{
    if (key.size() <= max_bytes) {
        return std::string(key);
    }
    char suffix[18];
    std::snprintf(suffix, sizeof(suffix), "~%016llx", static_cast<unsigned long long>(stable_hash(key)));
    std::string bounded(utf8_prefix(key, max_bytes - 17));
    bounded += suffix;
    return bounded;
}

// "2024-05-01T12:00:00.123Z": ISO 8601 / RFC 3339 in UTC, milliseconds.
inline std::string iso8601_utc_ms(uint64_t unix_ns)
{
    const auto seconds = static_cast<std::time_t>(unix_ns / 1'000'000'000ULL);
    const auto millis = static_cast<unsigned>((unix_ns / 1'000'000ULL) % 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char out[96]; // room for any int year, as the compiler checks
    std::snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
    return out;
}

namespace detail {

inline void skip_space(std::string_view json, std::size_t &at)
{
    while (at < json.size() && (json[at] == ' ' || json[at] == '\t' || json[at] == '\n' || json[at] == '\r')) {
        ++at;
    }
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

inline std::optional<uint32_t> hex4(std::string_view json, std::size_t at)
{
    if (at + 4 > json.size()) {
        return std::nullopt;
    }
    uint32_t value = 0;
    for (std::size_t index = at; index < at + 4; ++index) {
        char c = json[index];
        value <<= 4;
        if (c >= '0' && c <= '9') {
            value |= static_cast<uint32_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            value |= static_cast<uint32_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            value |= static_cast<uint32_t>(c - 'A' + 10);
        } else {
            return std::nullopt;
        }
    }
    return value;
}

// Reads the string starting at the '"' at @at; leaves @at after its closing quote.
inline bool read_string(std::string_view json, std::size_t &at, std::string *out)
{
    if (at >= json.size() || json[at] != '"') {
        return false;
    }
    for (++at; at < json.size(); ++at) {
        char c = json[at];
        if (c == '"') {
            ++at;
            return true;
        }
        if (c != '\\') {
            if (out != nullptr) {
                *out += c;
            }
            continue;
        }
        if (++at >= json.size()) {
            return false;
        }
        char escaped = json[at];
        if (escaped == 'u') {
            auto code = hex4(json, at + 1);
            if (!code) {
                return false;
            }
            at += 4;
            // A surrogate pair is two escapes.
            if (*code >= 0xD800 && *code <= 0xDBFF && at + 6 < json.size() && json[at + 1] == '\\' &&
                json[at + 2] == 'u') {
                if (auto low = hex4(json, at + 3); low && *low >= 0xDC00 && *low <= 0xDFFF) {
                    *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
                    at += 6;
                }
            }
            if (out != nullptr) {
                append_utf8(*out, (*code >= 0xD800 && *code <= 0xDFFF) ? 0xFFFD : *code);
            }
            continue;
        }
        if (out != nullptr) {
            switch (escaped) {
            case 'n':
                *out += '\n';
                break;
            case 't':
                *out += '\t';
                break;
            case 'r':
                *out += '\r';
                break;
            case 'b':
                *out += '\b';
                break;
            case 'f':
                *out += '\f';
                break;
            default:
                *out += escaped;
                break; // '"', '\\', '/'
            }
        }
    }
    return false;
}

// Skips one value of any kind starting at @at.
inline bool skip_value(std::string_view json, std::size_t &at, int depth = 0)
{
    if (depth > 64) {
        return false;
    }
    skip_space(json, at);
    if (at >= json.size()) {
        return false;
    }
    char c = json[at];
    if (c == '"') {
        return read_string(json, at, nullptr);
    }
    if (c == '{' || c == '[') {
        const char close = c == '{' ? '}' : ']';
        ++at;
        skip_space(json, at);
        if (at < json.size() && json[at] == close) {
            ++at;
            return true;
        }
        for (;;) {
            if (c == '{') {
                skip_space(json, at);
                if (!read_string(json, at, nullptr)) {
                    return false;
                }
                skip_space(json, at);
                if (at >= json.size() || json[at] != ':') {
                    return false;
                }
                ++at;
            }
            if (!skip_value(json, at, depth + 1)) {
                return false;
            }
            skip_space(json, at);
            if (at >= json.size()) {
                return false;
            }
            if (json[at] == ',') {
                ++at;
                continue;
            }
            if (json[at] == close) {
                ++at;
                return true;
            }
            return false;
        }
    }
    // A number, true, false or null: up to the next delimiter.
    const auto start = at;
    while (at < json.size() && json[at] != ',' && json[at] != '}' && json[at] != ']' && json[at] != ' ' &&
           json[at] != '\n' && json[at] != '\t' && json[at] != '\r') {
        ++at;
    }
    return at > start;
}

} // namespace detail

// The string at @path (member names, outermost first) of the JSON object
// @json, or nothing if a member is missing, not an object on the way, or not
// a string at the end.
inline std::optional<std::string> json_string_at(std::string_view json, std::initializer_list<std::string_view> path)
{
    std::size_t at = 0;
    auto step = path.begin();
    while (step != path.end()) {
        detail::skip_space(json, at);
        if (at >= json.size() || json[at] != '{') {
            return std::nullopt;
        }
        ++at;
        bool found = false;
        for (;;) {
            detail::skip_space(json, at);
            if (at < json.size() && json[at] == '}') {
                return std::nullopt;
            }
            std::string name;
            if (!detail::read_string(json, at, &name)) {
                return std::nullopt;
            }
            detail::skip_space(json, at);
            if (at >= json.size() || json[at] != ':') {
                return std::nullopt;
            }
            ++at;
            if (name == *step) {
                found = true;
                break;
            }
            if (!detail::skip_value(json, at)) {
                return std::nullopt;
            }
            detail::skip_space(json, at);
            if (at < json.size() && json[at] == ',') {
                ++at;
            }
        }
        if (!found) {
            return std::nullopt;
        }
        ++step;
    }
    detail::skip_space(json, at);
    std::string value;
    if (!detail::read_string(json, at, &value)) {
        return std::nullopt;
    }
    return value;
}

} // namespace vigil::text
