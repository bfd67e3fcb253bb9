// SPDX-License-Identifier: Apache-2.0
// The real splunk_hec.so: its descriptor, and what init refuses.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;

TEST_CASE("the descriptor: an output taking every alert, with its options at their defaults")
{
    FakeHost host(SPLUNK_HEC_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "splunk_hec");
    CHECK(descriptor.kind == VIGIL_PLUGIN_OUTPUT);
    CHECK(descriptor.default_route == nullptr);
    for (const char *key : {"url", "token_file", "token_env", "sourcetype", "index", "max_batch_bytes", "use_ack",
                            "ack_timeout_ms", "ack_poll_interval_ms", "ca_file", "timeout_ms"}) {
        CHECK_MESSAGE(host.config_key(key) != nullptr, key);
    }
    CHECK(std::string_view(host.config_key("sourcetype")->default_value) == "\"vigil:alert\"");
    CHECK(std::string_view(host.config_key("max_batch_bytes")->default_value) == "524288");
}

TEST_CASE("init refuses a missing token, and never logs the token")
{
    FakeHost host(SPLUNK_HEC_PLUGIN_PATH);
    host.set_option("url", std::string("http://127.0.0.1:9"));
    CHECK(host.start() != 0);
}

TEST_CASE("an unreachable collector at start is a warning, not a refusal")
{
    ::setenv("SPLUNK_HEC_TEST_TOKEN", "secret-token-value", 1);
    FakeHost host(SPLUNK_HEC_PLUGIN_PATH);
    host.set_option("url", std::string("http://127.0.0.1:9/"));
    host.set_option("token_env", std::string("SPLUNK_HEC_TEST_TOKEN"));
    host.set_option("timeout_ms", int64_t{500});
    REQUIRE(host.start() == 0);
    bool warned = false;
    for (const auto &line : host.logs()) {
        CHECK(line.message.find("secret-token-value") == std::string::npos);
        warned = warned || (line.level == VIGIL_LOG_WARNING && line.message.find("not healthy") != std::string::npos);
    }
    CHECK(warned);
}
