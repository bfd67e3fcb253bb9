// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include <vigil/json_text.hpp>

namespace {

std::string quoted(std::string_view text)
{
    std::string out;
    vigil::json::append_string(out, text);
    return out;
}

} // namespace

TEST_SUITE("sdk")
{
    TEST_CASE("json text: strings escape quotes, backslashes and control characters, and replace invalid UTF-8")
    {
        CHECK(quoted("a\"b\\c\nd\te\rf") == R"("a\"b\\c\nd\te\rf")");
        CHECK(quoted(std::string("\x01\x1f\x7f", 3)) == R"("\u0001\u001f\u007f")");
        CHECK(quoted("caf\xC3\xA9 \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
        // One U+FFFD per maximal invalid subpart: a lone byte, a sequence cut short.
        CHECK(quoted("e\xFFz\xE2\x82") == "\"e\xEF\xBF\xBDz\xEF\xBF\xBD\"");
        CHECK(quoted("") == "\"\"");
    }

    TEST_CASE("json text: a prefix never ends inside a UTF-8 character")
    {
        using vigil::json::utf8_prefix;
        CHECK(utf8_prefix("abc", 5) == "abc");
        CHECK(utf8_prefix("ab\xE2\x82\xAC", 4) == "ab");
        CHECK(utf8_prefix("ab\xE2\x82\xAC", 5) == "ab\xE2\x82\xAC");
        CHECK(utf8_prefix("ab\xE2\x82\xAC", 0).empty());
    }

    TEST_CASE("json text: values are read by their key path, and absent or broken ones are nothing")
    {
        using namespace vigil::json;
        const std::string json = R"({"a":{"b":[1,{"c":"no"}],"c":"x\u00e9\"y"},"k8s":{"pod":"p"},"n":-7,"t":true})";
        CHECK(string_at(json, {"a", "c"}) == std::string("x\xC3\xA9\"y"));
        CHECK(string_at(json, {"k8s", "pod"}) == std::string("p"));
        CHECK_FALSE(string_at(json, {"k8s", "namespace"}));
        CHECK_FALSE(string_at(json, {"a", "b"}));
        CHECK_FALSE(string_at("{\"a\":", {"a"}));
        CHECK(integer_at(json, {"n"}) == -7);
        CHECK_FALSE(integer_at(json, {"t"}));
        CHECK(bool_at(json, {"t"}) == true);
        CHECK_FALSE(bool_at(json, {"n"}));
    }
}
