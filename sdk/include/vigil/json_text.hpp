// SPDX-License-Identifier: Apache-2.0
// Small JSON helpers for output plugins, header-only and allocation-light:
// writing strings (escaped, invalid UTF-8 replaced by U+FFFD, the way the
// sensor renders alerts), cutting text to a size on a character boundary,
// and reading single values out of a JSON document by their key path (the
// alert's "k8s"/"pod", a receiver's "code"), without building a tree.
//
//   std::string out;
//   vigil::json::append_string(out, alert.summary);                 // "\"...\""
//   auto pod = vigil::json::string_at(alert_json, {"k8s", "pod"});  // std::optional<std::string>
//   auto code = vigil::json::integer_at(answer, {"code"});           // std::optional<int64_t>
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::json {

namespace detail {

inline bool in_range(unsigned char byte, unsigned char low, unsigned char high)
{
    return byte >= low && byte <= high;
}

// The length of the UTF-8 sequence at the start of @bytes and whether it is
// valid (no overlong forms, surrogates or code points above U+10FFFF). An
// invalid sequence's length is its maximal prefix that could have started a
// valid one, so that it becomes a single U+FFFD.
inline std::pair<std::size_t, bool> utf8_sequence(std::string_view bytes)
{
    auto lead = static_cast<unsigned char>(bytes[0]);
    std::size_t length = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    if (lead < 0x80) {
        return {1, true};
    } else if (in_range(lead, 0xC2, 0xDF)) {
        length = 2;
    } else if (lead == 0xE0) {
        length = 3;
        second_low = 0xA0;
    } else if (lead == 0xED) {
        length = 3;
        second_high = 0x9F;
    } else if (in_range(lead, 0xE1, 0xEF)) {
        length = 3;
    } else if (lead == 0xF0) {
        length = 4;
        second_low = 0x90;
    } else if (lead == 0xF4) {
        length = 4;
        second_high = 0x8F;
    } else if (in_range(lead, 0xF1, 0xF3)) {
        length = 4;
    } else {
        return {1, false};
    }
    for (std::size_t index = 1; index < length; ++index) {
        if (index >= bytes.size()) {
            return {index, false};
        }
        auto byte = static_cast<unsigned char>(bytes[index]);
        if (!in_range(byte, index == 1 ? second_low : 0x80, index == 1 ? second_high : 0xBF)) {
            return {index, false};
        }
    }
    return {length, true};
}

inline void append_utf8(std::string &out, uint32_t code_point)
{
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// A cursor over a JSON document that skips what it is not asked for.
class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    void skip_space()
    {
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
            ++at_;
        }
    }
    bool take(char expected)
    {
        skip_space();
        if (at_ < text_.size() && text_[at_] == expected) {
            ++at_;
            return true;
        }
        return false;
    }
    char peek()
    {
        skip_space();
        return at_ < text_.size() ? text_[at_] : '\0';
    }

    // A string at the cursor, decoded; nullopt if there is none or it is broken.
    std::optional<std::string> string()
    {
        if (!take('"')) {
            return std::nullopt;
        }
        std::string out;
        while (at_ < text_.size()) {
            char c = text_[at_++];
            if (c == '"') {
                return out;
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_ >= text_.size()) {
                return std::nullopt;
            }
            char escape = text_[at_++];
            switch (escape) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                auto unit = hex4();
                if (!unit) {
                    return std::nullopt;
                }
                uint32_t code_point = *unit;
                if (code_point >= 0xD800 && code_point <= 0xDBFF && text_.substr(at_, 2) == "\\u") {
                    at_ += 2;
                    auto low = hex4();
                    if (!low) {
                        return std::nullopt;
                    }
                    if (*low >= 0xDC00 && *low <= 0xDFFF) {
                        code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
                    } else {
                        append_utf8(out, 0xFFFD);
                        code_point = *low;
                    }
                }
                if (code_point >= 0xD800 && code_point <= 0xDFFF) {
                    code_point = 0xFFFD; // a lone surrogate
                }
                append_utf8(out, code_point);
                break;
            }
            default:
                return std::nullopt;
            }
        }
        return std::nullopt;
    }

    // Skips one value of any kind; false if the document is broken there.
    bool skip_value()
    {
        char first = peek();
        if (first == '"') {
            return string().has_value();
        }
        if (first == '{' || first == '[') {
            const char close = first == '{' ? '}' : ']';
            ++at_;
            if (take(close)) {
                return true;
            }
            do {
                if (first == '{' && (!string() || !take(':'))) {
                    return false;
                }
                if (!skip_value()) {
                    return false;
                }
            } while (take(','));
            return take(close);
        }
        std::size_t start = at_;
        while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}' && text_[at_] != ']' && text_[at_] != ' ' &&
               text_[at_] != '\n' && text_[at_] != '\r' && text_[at_] != '\t') {
            ++at_;
        }
        return at_ > start;
    }

    // The raw text of the scalar at the cursor (a number, true, false, null).
    std::string_view scalar()
    {
        skip_space();
        std::size_t start = at_;
        if (!skip_value()) {
            return {};
        }
        return text_.substr(start, at_ - start);
    }

    // Moves into the object at the cursor to the value of @key; false if absent.
    bool member(std::string_view key)
    {
        if (!take('{')) {
            return false;
        }
        if (take('}')) {
            return false;
        }
        do {
            auto name = string();
            if (!name || !take(':')) {
                return false;
            }
            if (*name == key) {
                return true;
            }
            if (!skip_value()) {
                return false;
            }
        } while (take(','));
        return false;
    }

    bool path(std::initializer_list<std::string_view> keys)
    {
        for (auto key : keys) {
            if (!member(key)) {
                return false;
            }
        }
        return true;
    }

private:
    std::optional<uint32_t> hex4()
    {
        if (at_ + 4 > text_.size()) {
            return std::nullopt;
        }
        uint32_t value = 0;
        auto result = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, value, 16);
        if (result.ptr != text_.data() + at_ + 4) {
            return std::nullopt;
        }
        at_ += 4;
        return value;
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

} // namespace detail

// Appends @text as a JSON string, quotes included: '"', '\\' and control
// characters escaped (\n, \t, \r short; the others and DEL as \u00XX),
// invalid UTF-8 replaced by U+FFFD (one per maximal invalid subpart, the
// Unicode recommended practice). The sensor renders alerts with it too.
inline void append_string(std::string &out, std::string_view text)
{
    constexpr char hex[] = "0123456789abcdef";
    auto plain = [](unsigned char byte) { return byte >= 0x20 && byte != '"' && byte != '\\' && byte < 0x7F; };
    out += '"';
    std::size_t run_start = 0;
    std::size_t index = 0;
    // Plain ASCII is copied in runs; only bytes that need escaping or UTF-8
    // checking leave the fast path.
    while (index < text.size()) {
        auto byte = static_cast<unsigned char>(text[index]);
        if (plain(byte)) {
            ++index;
            continue;
        }
        out.append(text.data() + run_start, index - run_start);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
            ++index;
        } else if (byte == '\n') {
            out += "\\n";
            ++index;
        } else if (byte == '\t') {
            out += "\\t";
            ++index;
        } else if (byte == '\r') {
            out += "\\r";
            ++index;
        } else if (byte < 0x20 || byte == 0x7F) {
            // DEL is legal JSON, but escaping it keeps terminals that show the text sane.
            out += "\\u00";
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
            ++index;
        } else {
            auto [length, valid] = detail::utf8_sequence(text.substr(index));
            if (valid) {
                out.append(text.data() + index, length);
            } else {
                out += "\xEF\xBF\xBD";
            }
            index += length;
        }
        run_start = index;
    }
    out.append(text.data() + run_start, index - run_start);
    out += '"';
}

// The longest start of @text of at most @max_bytes that does not end inside
// a UTF-8 sequence.
inline std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes)
{
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    // Back up over continuation bytes to the start of the cut sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

// The string at @keys (a path of object members) in @document; nullopt when
// it is absent, not a string, or the document is broken before it.
inline std::optional<std::string> string_at(std::string_view document, std::initializer_list<std::string_view> keys)
{
    detail::Reader reader(document);
    if (!reader.path(keys)) {
        return std::nullopt;
    }
    return reader.string();
}

// The integer at @keys in @document; nullopt when absent or not an integer.
inline std::optional<int64_t> integer_at(std::string_view document, std::initializer_list<std::string_view> keys)
{
    detail::Reader reader(document);
    if (!reader.path(keys)) {
        return std::nullopt;
    }
    auto text = reader.scalar();
    int64_t value = 0;
    auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// true or false at @keys in @document; nullopt when absent or not a boolean.
inline std::optional<bool> bool_at(std::string_view document, std::initializer_list<std::string_view> keys)
{
    detail::Reader reader(document);
    if (!reader.path(keys)) {
        return std::nullopt;
    }
    auto text = reader.scalar();
    if (text == "true") {
        return true;
    }
    if (text == "false") {
        return false;
    }
    return std::nullopt;
}

} // namespace vigil::json
