// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/audit/bearer_token.hpp"
#include "core/config/audit_settings.hpp"
#include "core/config/config.hpp"

using namespace vigil;

TEST_SUITE("audit")
{
    TEST_CASE("audit webhook: listen addresses")
    {
        auto any = config::parse_listen_address("0.0.0.0:9443");
        REQUIRE(any);
        CHECK(any->host == "0.0.0.0");
        CHECK(any->port == 9443);
        auto six = config::parse_listen_address("[::1]:443");
        REQUIRE(six);
        CHECK(six->host == "::1");
        CHECK_FALSE(config::parse_listen_address("::1:443"));
        CHECK_FALSE(config::parse_listen_address("host"));
        CHECK_FALSE(config::parse_listen_address("host:0"));
        CHECK_FALSE(config::parse_listen_address("host:70000"));
        CHECK_FALSE(config::parse_listen_address(":9443"));
    }

    TEST_CASE("audit webhook: bearer tokens compared whole")
    {
        auto token = audit::BearerToken::from_value("s3cret-token");
        CHECK(token.matches("s3cret-token"));
        CHECK_FALSE(token.matches("s3cret-toke"));
        CHECK_FALSE(token.matches("s3cret-token2"));
        CHECK_FALSE(token.matches(""));
        CHECK(audit::bearer_credential("Bearer abc") == "abc");
        CHECK(audit::bearer_credential("bearer  abc ") == "abc");
        CHECK(audit::bearer_credential("Basic abc").empty());
        CHECK(audit::bearer_credential("Bearer").empty());
    }

    TEST_CASE("audit config: off by default; a webhook needs TLS and a way to authenticate")
    {
        auto defaults = config::parse_config("", "vigil.toml");
        REQUIRE(defaults);
        CHECK(defaults->audit == config::AuditConfig{});
        CHECK(defaults->audit.webhook_listen.empty());
        CHECK(defaults->audit.log_path.empty());

        auto missing = config::parse_config("[audit]\nwebhook_listen = \"0.0.0.0:9443\"\n", "vigil.toml");
        REQUIRE_FALSE(missing);
        std::string all;
        for (const auto &error : missing.error()) {
            all += error.to_string() + "\n";
        }
        CHECK(all.find("vigil.toml:2") != std::string::npos);
        CHECK(all.find("audit.webhook_cert_file") != std::string::npos);
        CHECK(all.find("audit.webhook_key_file") != std::string::npos);
        CHECK(all.find("audit.webhook_token_file") != std::string::npos);

        auto bad = config::parse_config(
            "[audit]\nlog_start_at = \"middle\"\nwebhook_path = \"audit\"\nqueue_size = 10\n", "vigil.toml");
        REQUIRE_FALSE(bad);
        CHECK(bad.error().size() == 3);

        auto good = config::parse_config("[audit]\nwebhook_listen = \"127.0.0.1:9443\"\nwebhook_cert_file = \"c\"\n"
                                         "webhook_key_file = \"k\"\nwebhook_client_ca_file = \"ca\"\n"
                                         "log_path = \"/var/log/audit.log\"\nlog_start_at = \"beginning\"\n",
                                         "vigil.toml");
        REQUIRE(good);
        CHECK(good->audit.log_start_at == "beginning");
    }
}
