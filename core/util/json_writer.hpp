// SPDX-License-Identifier: Apache-2.0
// A small streaming JSON writer that appends to a caller-owned std::string.
// Alerts are rendered once and then handed verbatim to every output, so the
// one guarantee that matters here is that the result is always valid JSON:
// strings are escaped, and bytes that are not valid UTF-8 (a process's
// cmdline is whatever bytes it was given) become U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// Appends @text to @out as a quoted JSON string: vigil::json::append_string
// (sdk/include/vigil/json_text.hpp), so outputs escape as the sensor does.
void append_json_string(std::string &out, std::string_view text);

// Writes values in the order they are called; commas and colons are placed
// for the caller. The caller is responsible for balancing begin/end and for
// calling key() before every member of an object.
class JsonWriter {
public:
    explicit JsonWriter(std::string &out) : out_(out) {}

    JsonWriter &begin_object();
    JsonWriter &end_object();
    JsonWriter &begin_array();
    JsonWriter &end_array();

    JsonWriter &key(std::string_view name);

    JsonWriter &string(std::string_view value);
    JsonWriter &integer(int64_t value);
    JsonWriter &unsigned_integer(uint64_t value);
    JsonWriter &boolean(bool value);
    JsonWriter &null();
    // A number already formatted by the caller (e.g. a float); written as is.
    JsonWriter &raw_number(std::string_view value);

    // Shorthands for the common "key": value member.
    JsonWriter &member(std::string_view name, std::string_view value) { return key(name).string(value); }
    JsonWriter &member(std::string_view name, const char *value) { return key(name).string(value); }
    JsonWriter &member(std::string_view name, const std::string &value) { return key(name).string(value); }
    JsonWriter &member(std::string_view name, int64_t value) { return key(name).integer(value); }
    JsonWriter &member(std::string_view name, uint64_t value) { return key(name).unsigned_integer(value); }
    JsonWriter &member(std::string_view name, uint32_t value) { return key(name).unsigned_integer(value); }
    JsonWriter &member(std::string_view name, bool value) { return key(name).boolean(value); }

private:
    // Emits the comma that separates this value from the previous one, if any.
    void before_value();

    std::string &out_;
    // No stack is needed: after a container closes, its parent has always
    // just received a value, so only "is this the first value here" matters.
    bool first_in_container_ = true;
    bool after_key_ = false;
};

} // namespace vigil
