// SPDX-License-Identifier: Apache-2.0
// vigil/json_text.hpp, which the formatting rests on.
#include <doctest/doctest.h>

#include <string>

#include <vigil/json_text.hpp>

using namespace vigil::json;

TEST_CASE("values by key path, skipping whatever comes before them")
{
    const std::string alert =
        R"({"time":"t","mitre":{"tactics":[{"id":"TA0004","name":"x"}],"techniques":[]},)"
        R"("process":{"pid":12,"exe":"/bin/sh","ancestry":[{"pid":1,"exe":"a\"]}"}]},)"
        R"("k8s":{"namespace":"prod","pod":"web-1","node":"n","workload":{"kind":"Deployment"}},"ok":true})";
    CHECK(string_at(alert, {"k8s", "pod"}) == "web-1");
    CHECK(string_at(alert, {"k8s", "workload", "kind"}) == "Deployment");
    CHECK(string_at(alert, {"process", "exe"}) == "/bin/sh");
    CHECK(integer_at(alert, {"process", "pid"}) == 12);
    CHECK(bool_at(alert, {"ok"}) == true);
    CHECK_FALSE(string_at(alert, {"k8s", "pod_uid"}).has_value());
    CHECK_FALSE(string_at(alert, {"process", "pid"}).has_value());
    CHECK_FALSE(integer_at(alert, {"process", "exe"}).has_value());
    CHECK_FALSE(string_at("{\"a\":", {"a"}).has_value());
    CHECK_FALSE(string_at("[1,2]", {"a"}).has_value());
}

TEST_CASE("strings are decoded: escapes, \\u, surrogate pairs, lone surrogates")
{
    CHECK(string_at(R"({"a":"x\n\t\"\\\/y"})", {"a"}) == "x\n\t\"\\/y");
    CHECK(string_at(R"({"a":"\u00e9\ud83d\ude00"})", {"a"}) == "\xC3\xA9\xF0\x9F\x98\x80");
    CHECK(string_at(R"({"a":"\ud800x"})", {"a"}) == "\xEF\xBF\xBDx");
}

TEST_CASE("writing strings: escapes and U+FFFD for bytes that are not UTF-8")
{
    std::string out;
    append_string(out, "a\"b\\c\x7f\x1f \xC3\xA9 \xC0\xAF \xE2\x82");
    CHECK(out == "\"a\\\"b\\\\c\\u007f\\u001f \xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\"");
}

TEST_CASE("cutting text never splits a character")
{
    CHECK(utf8_prefix("abc", 5) == "abc");
    CHECK(utf8_prefix("ab\xC3\xA9", 3) == "ab");
    CHECK(utf8_prefix("ab\xC3\xA9", 4) == "ab\xC3\xA9");
    CHECK(utf8_prefix("\xF0\x9F\x98\x80z", 3) == "");
}
