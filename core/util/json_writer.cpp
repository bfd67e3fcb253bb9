#include "core/util/json_writer.hpp"

#include <charconv>
#include <cstddef>

namespace vigil {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD"; // U+FFFD

// What the UTF-8 sequence at the start of @bytes is.
struct Utf8Sequence {
    std::size_t length; // bytes to consume: the whole sequence, or its maximal invalid prefix (>= 1)
    bool valid;
};

bool in_range(unsigned char byte, unsigned char low, unsigned char high) { return byte >= low && byte <= high; }

// Decodes by the well-formed byte sequences of Unicode Table 3-7, which also
// rules out overlong forms, surrogates and code points above U+10FFFF. An
// invalid sequence consumes its maximal prefix that could have started a valid
// one, so that it yields a single U+FFFD (the W3C/Unicode recommended practice).
Utf8Sequence classify_utf8(std::string_view bytes)
{
    auto byte_at = [&](std::size_t index) { return static_cast<unsigned char>(bytes[index]); };
    unsigned char lead = byte_at(0);
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
        unsigned char low = index == 1 ? second_low : static_cast<unsigned char>(0x80);
        unsigned char high = index == 1 ? second_high : static_cast<unsigned char>(0xBF);
        if (!in_range(byte_at(index), low, high)) {
            return {index, false};
        }
    }
    return {length, true};
}

bool needs_attention(unsigned char byte) { return byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x7F; }

void append_control_escape(std::string &out, unsigned char byte)
{
    constexpr char hex[] = "0123456789abcdef";
    out += "\\u00";
    out += hex[byte >> 4];
    out += hex[byte & 0x0F];
}

template <class Integer>
void append_integer(std::string &out, Integer value)
{
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof(digits), value);
    out.append(digits, result.ptr);
}

} // namespace

void append_json_string(std::string &out, std::string_view text)
{
    out += '"';
    std::size_t run_start = 0;
    std::size_t index = 0;
    // Plain ASCII is copied in runs; only bytes that need escaping or UTF-8
    // checking leave the fast path.
    while (index < text.size()) {
        auto byte = static_cast<unsigned char>(text[index]);
        if (!needs_attention(byte)) {
            ++index;
            continue;
        }
        out.append(text.data() + run_start, index - run_start);
        if (byte == '"' || byte == '\\') {
            out += '\\';
            out += static_cast<char>(byte);
            ++index;
        } else if (byte < 0x20 || byte == 0x7F) {
            // DEL is legal JSON, but escaping it keeps terminals that show the log sane.
            append_control_escape(out, byte);
            ++index;
        } else {
            auto sequence = classify_utf8(text.substr(index));
            if (sequence.valid) {
                out.append(text.data() + index, sequence.length);
            } else {
                out += replacement_character;
            }
            index += sequence.length;
        }
        run_start = index;
    }
    out.append(text.data() + run_start, index - run_start);
    out += '"';
}

void JsonWriter::before_value()
{
    if (after_key_) {
        after_key_ = false;
    } else if (!first_in_container_) {
        out_ += ',';
    }
    first_in_container_ = false;
}

JsonWriter &JsonWriter::begin_object()
{
    before_value();
    out_ += '{';
    first_in_container_ = true;
    return *this;
}

JsonWriter &JsonWriter::end_object()
{
    out_ += '}';
    first_in_container_ = false;
    return *this;
}

JsonWriter &JsonWriter::begin_array()
{
    before_value();
    out_ += '[';
    first_in_container_ = true;
    return *this;
}

JsonWriter &JsonWriter::end_array()
{
    out_ += ']';
    first_in_container_ = false;
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
    before_value();
    append_json_string(out_, name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter &JsonWriter::string(std::string_view value)
{
    before_value();
    append_json_string(out_, value);
    return *this;
}

JsonWriter &JsonWriter::integer(int64_t value)
{
    before_value();
    append_integer(out_, value);
    return *this;
}

JsonWriter &JsonWriter::unsigned_integer(uint64_t value)
{
    before_value();
    append_integer(out_, value);
    return *this;
}

JsonWriter &JsonWriter::boolean(bool value)
{
    before_value();
    out_ += value ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::null()
{
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter &JsonWriter::raw_number(std::string_view value)
{
    before_value();
    out_ += value;
    return *this;
}

} // namespace vigil
