// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"

using namespace vigil::config;

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes config: [kubernetes] keys, defaults and a bad api_server")
    {
        auto defaults = parse_config("", "vigil.toml");
        REQUIRE(defaults.has_value());
        CHECK(defaults->kubernetes.api_server == "auto");
        CHECK(defaults->kubernetes.unresolved_wait_ms == 2000);

        auto set = parse_config("[kubernetes]\napi_server = \"https://10.0.0.1:6443\"\nlabels = [\"app\"]\n"
                                "unresolved_wait_ms = 500\n",
                                "vigil.toml");
        REQUIRE(set.has_value());
        CHECK(set->kubernetes.api_server == "https://10.0.0.1:6443");
        CHECK(set->kubernetes.labels == std::vector<std::string>{"app"});

        auto bad = parse_config("[kubernetes]\n\napi_server = \"http://10.0.0.1:8080\"\n", "vigil.toml");
        REQUIRE_FALSE(bad.has_value());
        REQUIRE(bad.error().size() == 1);
        CHECK(bad.error()[0].line == 3);
        CHECK(bad.error()[0].to_string().find("kubernetes.api_server") != std::string::npos);
        CHECK(bad.error()[0].to_string().find("https://") != std::string::npos);

        auto range = parse_config("[kubernetes]\npod_cache_max = 1\nunknown = 1\n", "vigil.toml");
        REQUIRE_FALSE(range.has_value());
        CHECK(range.error().size() == 2);
    }
}
