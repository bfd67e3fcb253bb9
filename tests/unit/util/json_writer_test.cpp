// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "core/util/json_writer.hpp"

namespace {

std::string quoted(std::string_view text)
{
    std::string out;
    vigil::append_json_string(out, text);
    return out;
}

} // namespace

TEST_CASE("alerts: json writer escapes quotes, backslashes and control characters")
{
    CHECK(quoted("plain") == "\"plain\"");
    CHECK(quoted("say \"hi\"") == R"("say \"hi\"")");
    CHECK(quoted("C:\\path") == R"("C:\\path")");
    CHECK(quoted("a\nb\tc\rd") == R"("a\nb\tc\rd")");
    CHECK(quoted("\x01\x0b\x1f") == R"("\u0001\u000b\u001f")");
    CHECK(quoted(std::string_view("nul\0byte", 8)) == R"("nul\u0000byte")");
    CHECK(quoted("\x1b[31mred\x7f") == R"("\u001b[31mred\u007f")");
    CHECK(quoted("/") == "\"/\"");
    CHECK(quoted("") == "\"\"");
}

TEST_CASE("alerts: json writer keeps valid UTF-8 and replaces invalid bytes")
{
    const std::string replacement = "\xEF\xBF\xBD";
    // Two, three and four byte sequences pass through unchanged.
    CHECK(quoted("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    // A lone continuation byte and a lead byte that is never valid.
    CHECK(quoted("a\x80z") == "\"a" + replacement + "z\"");
    CHECK(quoted("a\xFFz") == "\"a" + replacement + "z\"");
    // Overlong encoding of '/', a UTF-16 surrogate, and a code point above U+10FFFF.
    CHECK(quoted("\xC0\xAF") == "\"" + replacement + replacement + "\"");
    CHECK(quoted("\xED\xA0\x80") == "\"" + replacement + replacement + replacement + "\"");
    CHECK(quoted("\xF4\x90\x80\x80") == "\"" + replacement + replacement + replacement + replacement + "\"");
    // A sequence cut short yields one replacement for its valid prefix, then goes on.
    CHECK(quoted("\xE2\x82z") == "\"" + replacement + "z\"");
    CHECK(quoted("end\xF0\x9F\x98") == "\"end" + replacement + "\"");
}

TEST_CASE("alerts: json writer places commas and colons")
{
    std::string out;
    vigil::JsonWriter json(out);
    json.begin_object()
        .member("s", "text")
        .member("i", int64_t{-42})
        .member("u", uint64_t{18446744073709551615ULL})
        .member("b", true)
        .key("n")
        .null()
        .key("f")
        .raw_number("1.5")
        .key("empty")
        .begin_array()
        .end_array()
        .key("nested")
        .begin_array()
        .begin_object()
        .member("k", false)
        .end_object()
        .begin_object()
        .end_object()
        .string("x")
        .end_array()
        .key("o")
        .begin_object()
        .end_object()
        .end_object();
    CHECK(out == R"({"s":"text","i":-42,"u":18446744073709551615,"b":true,"n":null,"f":1.5,"empty":[],)"
                 R"("nested":[{"k":false},{},"x"],"o":{}})");
}
