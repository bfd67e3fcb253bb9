// SPDX-License-Identifier: Apache-2.0
#include "flat_json.hpp"

#include <vigil/json_text.hpp>

namespace vigil_http_json {
namespace {

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
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) {
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
            while (at_ < text_.size() &&
                   std::string_view("+-0123456789.eE").find(text_[at_]) != std::string_view::npos) {
                ++at_;
            }
            return at_ > start;
        }
        }
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

} // namespace

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
    return vigil::json::string_at(literal, {});
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
