#include "json_text.hpp"

#include <cstdio>

namespace vigil_http_json {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

// The length of the valid UTF-8 sequence at @value[@at], or 0.
std::size_t sequence_length(std::string_view value, std::size_t at)
{
    auto byte = [&](std::size_t offset) -> unsigned {
        return at + offset < value.size() ? static_cast<unsigned char>(value[at + offset]) : 0x100;
    };
    auto continuation = [&](std::size_t offset, unsigned low = 0x80, unsigned high = 0xBF) {
        return byte(offset) >= low && byte(offset) <= high;
    };
    unsigned first = byte(0);
    if (first < 0x80) {
        return 1;
    }
    if (first >= 0xC2 && first <= 0xDF) {
        return continuation(1) ? 2 : 0;
    }
    if (first >= 0xE0 && first <= 0xEF) {
        return continuation(1, first == 0xE0 ? 0xA0 : 0x80, first == 0xED ? 0x9F : 0xBF) && continuation(2) ? 3 : 0;
    }
    if (first >= 0xF0 && first <= 0xF4) {
        return continuation(1, first == 0xF0 ? 0x90 : 0x80, first == 0xF4 ? 0x8F : 0xBF) && continuation(2) &&
                       continuation(3)
                   ? 4
                   : 0;
    }
    return 0;
}

void append_utf8(std::string &out, unsigned code)
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

class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    bool object(const std::string &prefix, FlatJson &flat)
    {
        skip_space();
        if (!take('{')) {
            return false;
        }
        skip_space();
        if (take('}')) {
            return true;
        }
        do {
            skip_space();
            auto key_start = at_;
            if (!string()) {
                return false;
            }
            auto key = json_string_value(text_.substr(key_start, at_ - key_start));
            if (!key || (skip_space(), !take(':'))) {
                return false;
            }
            skip_space();
            std::string path = prefix.empty() ? *key : prefix + "." + *key;
            if (peek() == '{') {
                if (!object(path, flat)) {
                    return false;
                }
            } else {
                auto value_start = at_;
                if (!value()) {
                    return false;
                }
                flat.emplace_back(std::move(path), text_.substr(value_start, at_ - value_start));
            }
            skip_space();
        } while (take(','));
        return take('}');
    }

    bool at_end()
    {
        skip_space();
        return at_ == text_.size();
    }

private:
    char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
    bool take(char c)
    {
        if (peek() != c) {
            return false;
        }
        ++at_;
        return true;
    }
    void skip_space()
    {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' ||
                                      text_[at_] == '\t')) {
            ++at_;
        }
    }
    bool string()
    {
        if (!take('"')) {
            return false;
        }
        while (at_ < text_.size()) {
            char c = text_[at_++];
            if (c == '\\') {
                ++at_;
            } else if (c == '"') {
                return true;
            }
        }
        return false;
    }
    bool literal(std::string_view word)
    {
        if (text_.substr(at_, word.size()) != word) {
            return false;
        }
        at_ += word.size();
        return true;
    }
    bool value()
    {
        switch (peek()) {
        case '"':
            return string();
        case '{': {
            FlatJson ignored;
            return object("", ignored);
        }
        case '[':
            ++at_;
            skip_space();
            if (take(']')) {
                return true;
            }
            do {
                skip_space();
                if (!value()) {
                    return false;
                }
                skip_space();
            } while (take(','));
            return take(']');
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default: {
            auto start = at_;
            while (at_ < text_.size() && std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos) {
                ++at_;
            }
            return at_ > start;
        }
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

unsigned hex4(std::string_view text, std::size_t at, bool &ok)
{
    unsigned code = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        char c = at + i < text.size() ? text[at + i] : 'x';
        code <<= 4;
        if (c >= '0' && c <= '9') {
            code |= static_cast<unsigned>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            code |= static_cast<unsigned>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            code |= static_cast<unsigned>(c - 'A' + 10);
        } else {
            ok = false;
        }
    }
    return code;
}

} // namespace

void append_json_string(std::string &out, std::string_view value)
{
    out += '"';
    for (std::size_t at = 0; at < value.size();) {
        auto length = sequence_length(value, at);
        if (length == 0) {
            out += replacement;
            ++at;
            continue;
        }
        if (length > 1) {
            out.append(value.substr(at, length));
            at += length;
            continue;
        }
        char c = value[at++];
        switch (c) {
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
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                char escaped[8];
                std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

std::optional<FlatJson> flatten_object(std::string_view json)
{
    FlatJson flat;
    Reader reader(json);
    if (!reader.object("", flat) || !reader.at_end()) {
        return std::nullopt;
    }
    return flat;
}

std::optional<std::string> json_string_value(std::string_view literal)
{
    if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') {
        return std::nullopt;
    }
    std::string out;
    bool ok = true;
    for (std::size_t at = 1; at + 1 < literal.size();) {
        char c = literal[at++];
        if (c != '\\') {
            out += c;
            continue;
        }
        char escape = literal[at++];
        switch (escape) {
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case 'r':
            out += '\r';
            break;
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'u': {
            unsigned code = hex4(literal, at, ok);
            at += 4;
            if (code >= 0xD800 && code <= 0xDBFF && literal.substr(at, 2) == "\\u") {
                unsigned low = hex4(literal, at + 2, ok);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    at += 6;
                }
            }
            if (code >= 0xD800 && code <= 0xDFFF) {
                code = 0xFFFD; // a lone surrogate
            }
            append_utf8(out, code);
            break;
        }
        default: // '"', '\\', '/'
            out += escape;
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::string_view> find(const FlatJson &flat, std::string_view path)
{
    for (const auto &[key, value] : flat) {
        if (key == path) {
            return value;
        }
    }
    return std::nullopt;
}

} // namespace vigil_http_json
