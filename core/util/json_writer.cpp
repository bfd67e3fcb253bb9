// SPDX-License-Identifier: Apache-2.0
#include "core/util/json_writer.hpp"

#include <charconv>
#include <cstddef>

#include <vigil/json_text.hpp>

namespace vigil {
namespace {

template <class Integer> void append_integer(std::string &out, Integer value)
{
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof(digits), value);
    out.append(digits, result.ptr);
}

} // namespace

void append_json_string(std::string &out, std::string_view text)
{
    json::append_string(out, text);
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
