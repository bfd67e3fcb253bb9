// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config::testing::fixture;
using vigil::config::testing::joined;

TEST_SUITE("config")
{
    TEST_CASE("routes: each mistake named with its line and key; a good route read key by key")
    {
        auto file = fixture("routes.toml");
        auto config = load_config(file);
        REQUIRE_FALSE(config.has_value());
        auto text = joined(config.error());
        CHECK(text.find(file + ":11:26: outputs.review.route.min_severity: 'urgent' is not one of info, low, medium, "
                               "high, critical") != std::string::npos);
        CHECK(text.find(file + ":11:47: outputs.review.route.tactics: 'Privilege Escalation' is not an ATT&CK "
                               "tactic id like TA0004") != std::string::npos);
        CHECK(text.find("outputs.review.route.rules: expected a list of strings, got a string") != std::string::npos);
        CHECK(text.find(":11:92: outputs.review.route.severity: unknown route key (a route has min_severity, "
                        "tactics, exclude_tactics, rules and exclude_rules)") != std::string::npos);
        CHECK(text.find("outputs.pager") == std::string::npos); // the good one has nothing to say
    }

    TEST_CASE("routes: keys left out stay unset, so the plugin's default keeps them")
    {
        auto document = toml::parse(R"(
[outputs.pager]
route = { min_severity = "high", tactics = ["TA0004"] }
)");
        ErrorCollector errors("inline.toml");
        RouteOverrides route;
        read_route(*document["outputs"]["pager"]["route"].node(), "outputs.pager.route", route, errors);
        CHECK(errors.empty());
        CHECK(route.min_severity == VIGIL_SEVERITY_HIGH);
        CHECK(route.tactics == std::vector<std::string>{"TA0004"});
        CHECK_FALSE(route.exclude_tactics.has_value());
        CHECK_FALSE(route.rules.has_value());
        CHECK_FALSE(route.exclude_rules.has_value());
    }
}
