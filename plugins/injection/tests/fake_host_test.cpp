// SPDX-License-Identifier: Apache-2.0
// The parts of vigil/testing/fake_host.hpp a plugin's own tests cannot cover:
// the TOML literals it reads defaults from.
#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

using vigil::testing::OptionValue;
using vigil::testing::parse_toml_literal;

TEST_CASE("TOML literals of every option type")
{
    CHECK(std::get<bool>(parse_toml_literal("true", VIGIL_CONFIG_BOOL)) == true);
    CHECK(std::get<bool>(parse_toml_literal(" false ", VIGIL_CONFIG_BOOL)) == false);
    CHECK(std::get<int64_t>(parse_toml_literal("60", VIGIL_CONFIG_INTEGER)) == 60);
    CHECK(std::get<int64_t>(parse_toml_literal("-5", VIGIL_CONFIG_INTEGER)) == -5);
    CHECK(std::get<int64_t>(parse_toml_literal("+1_000_000", VIGIL_CONFIG_INTEGER)) == 1000000);
    CHECK(std::get<double>(parse_toml_literal("0.25", VIGIL_CONFIG_FLOAT)) == doctest::Approx(0.25));
    CHECK(std::get<double>(parse_toml_literal("1e3", VIGIL_CONFIG_FLOAT)) == doctest::Approx(1000.0));
    CHECK(std::get<std::string>(parse_toml_literal("\"a \\\"b\\\" \\u00e9\\n\"", VIGIL_CONFIG_STRING)) ==
          "a \"b\" \xc3\xa9\n");
    CHECK(std::get<std::string>(parse_toml_literal("'C:\\path'", VIGIL_CONFIG_STRING)) == "C:\\path");
    CHECK(std::get<std::vector<std::string>>(parse_toml_literal("[]", VIGIL_CONFIG_STRING_LIST)).empty());
    CHECK(std::get<std::vector<std::string>>(parse_toml_literal("[\"a\", 'b' ,\"c\",]", VIGIL_CONFIG_STRING_LIST)) ==
          std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("malformed TOML literals are refused")
{
    CHECK_THROWS_AS(parse_toml_literal("yes", VIGIL_CONFIG_BOOL), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("1.5", VIGIL_CONFIG_INTEGER), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("1__0", VIGIL_CONFIG_INTEGER), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("", VIGIL_CONFIG_INTEGER), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("abc", VIGIL_CONFIG_FLOAT), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("\"open", VIGIL_CONFIG_STRING), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("\"a\" x", VIGIL_CONFIG_STRING), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("[\"a\" \"b\"]", VIGIL_CONFIG_STRING_LIST), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("[\"a\"", VIGIL_CONFIG_STRING_LIST), std::invalid_argument);
    CHECK_THROWS_AS(parse_toml_literal("[1, 2]", VIGIL_CONFIG_STRING_LIST), std::invalid_argument);
}

TEST_CASE("a path that is no plugin is refused with a reason")
{
    CHECK_THROWS_AS(vigil::testing::FakeHost("/nonexistent/plugin.so"), std::runtime_error);
}
