// SPDX-License-Identifier: Apache-2.0
// The real slack.so: its descriptor and default route, and what init refuses.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;

TEST_CASE("the descriptor: an output whose default route takes Discovery and Execution")
{
    FakeHost host(SLACK_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "slack");
    CHECK(descriptor.kind == VIGIL_PLUGIN_OUTPUT);
    REQUIRE(descriptor.default_route != nullptr);
    const auto &route = *descriptor.default_route;
    CHECK(route.min_severity == VIGIL_SEVERITY_INFO);
    REQUIRE(route.tactic_count == 2);
    CHECK(std::string_view(route.tactics[0]) == "TA0007");
    CHECK(std::string_view(route.tactics[1]) == "TA0002");
    CHECK(route.rule_count == 0);
    for (const char *key : {"webhook_url_file", "webhook_url_env", "min_interval_ms", "ca_file", "timeout_ms"}) {
        CHECK_MESSAGE(host.config_key(key) != nullptr, key);
    }
}

TEST_CASE("init refuses no webhook URL, and a URL that is not one, without showing it")
{
    FakeHost missing(SLACK_PLUGIN_PATH);
    CHECK(missing.start() != 0);

    ::setenv("SLACK_TEST_WEBHOOK", "hooks.example.com/services/T/B/secretpart", 1);
    FakeHost wrong(SLACK_PLUGIN_PATH);
    wrong.set_option("webhook_url_env", std::string("SLACK_TEST_WEBHOOK"));
    CHECK(wrong.start() != 0);
    for (const auto &line : wrong.logs()) {
        CHECK(line.message.find("secretpart") == std::string::npos);
    }
}

TEST_CASE("a webhook URL from the environment: init logs the host only")
{
    ::setenv("SLACK_TEST_WEBHOOK", "https://hooks.example.com/services/T/B/secretpart", 1);
    FakeHost host(SLACK_PLUGIN_PATH);
    host.set_option("webhook_url_env", std::string("SLACK_TEST_WEBHOOK"));
    REQUIRE(host.start() == 0);
    bool logged = false;
    for (const auto &line : host.logs()) {
        CHECK(line.message.find("secretpart") == std::string::npos);
        logged = logged || line.message.find("https://hooks.example.com/") != std::string::npos;
    }
    CHECK(logged);
}
