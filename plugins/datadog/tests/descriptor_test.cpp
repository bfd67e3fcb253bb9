// SPDX-License-Identifier: Apache-2.0
// What the real datadog.so declares: its options, their defaults, and that it takes every alert.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;

TEST_CASE("the descriptor: an output with every option documented, and no default route (every alert)")
{
    FakeHost host(DATADOG_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "datadog");
    CHECK(descriptor.kind == VIGIL_PLUGIN_OUTPUT);
    CHECK(descriptor.default_route == nullptr);
    const char *strings[] = {"mode", "site", "url", "api_key_file", "api_key_env", "ca_file", "service", "source"};
    for (const char *name : strings) {
        CAPTURE(name);
        const auto *key = host.config_key(name);
        REQUIRE(key != nullptr);
        CHECK(key->type == VIGIL_CONFIG_STRING);
        CHECK(std::strlen(key->doc) > 10);
    }
    CHECK(std::get<std::string>(host.option("mode")) == "logs");
    CHECK(std::get<std::string>(host.option("site")) == "datadoghq.com");
    CHECK(std::get<std::string>(host.option("api_key_file")).empty());
    CHECK(std::get<std::string>(host.option("api_key_env")).empty());
    CHECK(std::get<bool>(host.option("gzip")) == true);
    CHECK(host.config_key("timeout_ms")->type == VIGIL_CONFIG_INTEGER);
    CHECK(host.config_key("tags")->type == VIGIL_CONFIG_STRING_LIST);
}

TEST_CASE("init: the API key comes from the environment or a file; mistakes are refused")
{
    ::setenv("VIGIL_TEST_DATADOG_KEY", "0123456789abcdef0123456789abcdef", 1);
    {
        FakeHost host(DATADOG_PLUGIN_PATH);
        CHECK(host.start() != 0); // neither api_key_file nor api_key_env
    }
    {
        FakeHost host(DATADOG_PLUGIN_PATH);
        host.set_option("api_key_env", std::string("VIGIL_TEST_DATADOG_KEY"));
        CHECK(host.start() == 0);
    }
    {
        FakeHost host(DATADOG_PLUGIN_PATH);
        host.set_option("api_key_env", std::string("VIGIL_TEST_DATADOG_KEY"));
        host.set_option("mode", std::string("everything"));
        CHECK(host.start() != 0);
    }
    {
        FakeHost host(DATADOG_PLUGIN_PATH);
        host.set_option("api_key_env", std::string("VIGIL_TEST_DATADOG_KEY"));
        host.set_option("tags", std::vector<std::string>{"no-colon"});
        CHECK(host.start() != 0);
    }
}
