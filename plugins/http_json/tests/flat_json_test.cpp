// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "flat_json.hpp"
#include "request_headers.hpp"

using namespace vigil_http_json;

TEST_CASE("flattening an object gives dotted paths and each leaf's JSON text")
{
    auto flat = flatten_object(R"( {"a": {"b": 1, "c": [2, {"d": 3}]}, "e": "x\"}", "f": {}, "g": null} )");
    REQUIRE(flat);
    REQUIRE(flat->size() == 4);
    CHECK((*flat)[0] == std::pair<std::string, std::string_view>{"a.b", "1"});
    CHECK((*flat)[1] == std::pair<std::string, std::string_view>{"a.c", R"([2, {"d": 3}])"});
    CHECK((*flat)[2] == std::pair<std::string, std::string_view>{"e", R"("x\"}")"});
    CHECK(find(*flat, "g") == "null");
    CHECK_FALSE(find(*flat, "a"));
}

TEST_CASE("text that is not one JSON object is refused")
{
    CHECK_FALSE(flatten_object("[1]"));
    CHECK_FALSE(flatten_object(R"({"a":1)"));
    CHECK_FALSE(flatten_object(R"({"a":1} x)"));
    CHECK_FALSE(flatten_object(R"({"a":tru})"));
}

TEST_CASE("string literals are unescaped, surrogate pairs included")
{
    CHECK(json_string_value(R"("a\"b\\c\/d\n")") == "a\"b\\c/d\n");
    CHECK(json_string_value(R"("caf\u00e9 \ud83d\ude00")") == "caf\xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(json_string_value(R"("\ud800x")") == "\xEF\xBF\xBDx");
    CHECK_FALSE(json_string_value("abc"));
    CHECK_FALSE(json_string_value(R"("\u12")"));
}

TEST_CASE("extra headers are checked")
{
    CHECK(header_problem("X-Scope: nodes").empty());
    CHECK(header_problem("X-Empty:").empty());
    CHECK_FALSE(header_problem("no colon").empty());
    CHECK_FALSE(header_problem("Bad Name: x").empty());
    CHECK_FALSE(header_problem("X-A: b\r\nX-B: c").empty());
    CHECK(header_problem("authorization: Bearer x").find("token_file") != std::string::npos);
    CHECK_FALSE(header_problem("Content-Type: text/plain").empty());
}
