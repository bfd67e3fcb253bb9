// SPDX-License-Identifier: Apache-2.0
// What the real pagerduty.so declares, its default route, and the routing key's checks at init.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;

TEST_CASE("the descriptor: options with docs and defaults; the default route pages on TA0004 and TA0008, high and up")
{
    FakeHost host(PAGERDUTY_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "pagerduty");
    CHECK(descriptor.kind == VIGIL_PLUGIN_OUTPUT);
    for (const char *name : {"region", "url", "routing_key_file", "routing_key_env", "ca_file"}) {
        CAPTURE(name);
        const auto *key = host.config_key(name);
        REQUIRE(key != nullptr);
        CHECK(key->type == VIGIL_CONFIG_STRING);
        CHECK(std::strlen(key->doc) > 10);
    }
    CHECK(std::get<std::string>(host.option("region")) == "us");
    CHECK(std::get<int64_t>(host.option("timeout_ms")) == 15000);
    const auto *route = descriptor.default_route;
    REQUIRE(route != nullptr);
    CHECK(route->min_severity == VIGIL_SEVERITY_HIGH);
    REQUIRE(route->tactic_count == 2);
    CHECK(std::string_view(route->tactics[0]) == "TA0004");
    CHECK(std::string_view(route->tactics[1]) == "TA0008");
    CHECK(route->rule_count == 0);
    CHECK(route->exclude_tactic_count == 0);
}

TEST_CASE("init: the routing key must be 32 characters; region us or eu")
{
    ::setenv("VIGIL_TEST_PD_GOOD", "0123456789abcdef0123456789abcdef\n", 1);
    ::setenv("VIGIL_TEST_PD_SHORT", "0123456789", 1);
    {
        FakeHost host(PAGERDUTY_PLUGIN_PATH);
        host.set_option("routing_key_env", std::string("VIGIL_TEST_PD_GOOD"));
        CHECK(host.start() == 0);
    }
    {
        FakeHost host(PAGERDUTY_PLUGIN_PATH);
        host.set_option("routing_key_env", std::string("VIGIL_TEST_PD_SHORT"));
        CHECK(host.start() != 0);
        bool named_length = false;
        for (const auto &line : host.logs()) {
            named_length = named_length || line.message.find("32 characters") != std::string::npos;
            CHECK(line.message.find("0123456789") == std::string::npos); // never the key
        }
        CHECK(named_length);
    }
    {
        FakeHost host(PAGERDUTY_PLUGIN_PATH);
        host.set_option("routing_key_env", std::string("VIGIL_TEST_PD_GOOD"));
        host.set_option("region", std::string("mars"));
        CHECK(host.start() != 0);
    }
    {
        FakeHost host(PAGERDUTY_PLUGIN_PATH);
        CHECK(host.start() != 0); // no key at all
    }
}
