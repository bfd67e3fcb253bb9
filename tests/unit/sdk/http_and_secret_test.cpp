// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <vigil/http_client.hpp>
#include <vigil/secret.hpp>

namespace {

vigil::http::Response answer(long status, std::string body = "",
                             std::vector<std::pair<std::string, std::string>> headers = {})
{
    vigil::http::Response response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return response;
}

// A config view with string options only.
struct StringOptions {
    std::vector<std::pair<std::string, std::string>> values;
    vigil_config_view view{};

    explicit StringOptions(std::vector<std::pair<std::string, std::string>> options) : values(std::move(options))
    {
        view.struct_size = sizeof(view);
        view.context = this;
        view.get_string = [](const void *context, const char *key) -> const char * {
            for (const auto &[name, value] : static_cast<const StringOptions *>(context)->values) {
                if (name == key) {
                    return value.c_str();
                }
            }
            return nullptr;
        };
    }
};

} // namespace

TEST_SUITE("sdk")
{
    TEST_CASE("http verdict: delivered, retried (with the receiver's wait) or rejected for good")
    {
        vigil_send_result result{};
        vigil::http::verdict(answer(202), result);
        CHECK(result.status == VIGIL_SEND_OK);

        vigil::http::verdict(answer(429, "", {{"retry-after", "7"}}), result);
        CHECK(result.status == VIGIL_SEND_RETRY);
        CHECK(result.retry_after_ms == 7000);

        vigil::http::verdict(answer(429, "", {{"x-ratelimit-reset", "3"}}), result,
                             vigil::http::RetryPolicy::retry_429_and_5xx, "x-ratelimit-reset");
        CHECK(result.retry_after_ms == 3000);

        vigil::http::verdict(answer(503, "{\"text\":\"Server is busy\",\"code\":9}"), result);
        CHECK(result.status == VIGIL_SEND_RETRY);
        vigil::http::verdict(answer(501), result, vigil::http::RetryPolicy::retry_429_and_5xx_but_501);
        CHECK(result.status == VIGIL_SEND_REJECT);

        vigil::http::verdict(answer(400, "invalid_payload"), result);
        CHECK(result.status == VIGIL_SEND_REJECT);
        CHECK(std::string(result.reason) == "HTTP 400: invalid_payload");

        vigil::http::Response silent;
        silent.transport_error = "Connection refused";
        vigil::http::verdict(silent, result);
        CHECK(result.status == VIGIL_SEND_RETRY);
        CHECK(std::string(result.reason) == "no answer: Connection refused");
    }

    TEST_CASE("http Retry-After: seconds or an HTTP date")
    {
        CHECK(vigil::http::retry_after_ms("120") == 120000);
        CHECK(vigil::http::retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470) == 10000);
        CHECK(vigil::http::retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490) == 0);
        CHECK_FALSE(vigil::http::retry_after_ms("soon").has_value());
    }

    TEST_CASE("secrets: from a file or an environment variable, never both, errors without the value")
    {
        auto path = std::filesystem::temp_directory_path() / "vigil-secret-test";
        std::ofstream(path) << "  s3cr3t-value\n";
        StringOptions from_file({{"key_file", path.string()}, {"key_env", ""}});
        CHECK(vigil::read_secret(vigil::Config(&from_file.view), "key_file", "key_env", "the key") == "s3cr3t-value");

        setenv("VIGIL_TEST_SECRET", "from-env", 1);
        StringOptions from_env({{"key_file", ""}, {"key_env", "VIGIL_TEST_SECRET"}});
        CHECK(vigil::read_secret(vigil::Config(&from_env.view), "key_file", "key_env", "the key") == "from-env");

        StringOptions both({{"key_file", path.string()}, {"key_env", "VIGIL_TEST_SECRET"}});
        CHECK_THROWS_WITH_AS(vigil::read_secret(vigil::Config(&both.view), "key_file", "key_env", "the key"),
                             doctest::Contains("set exactly one of key_file"), vigil::ConfigError);
        StringOptions unset({{"key_file", ""}, {"key_env", "VIGIL_TEST_SECRET_UNSET"}});
        CHECK_THROWS_WITH_AS(vigil::read_secret(vigil::Config(&unset.view), "key_file", "key_env", "the key"),
                             doctest::Contains("VIGIL_TEST_SECRET_UNSET (key_env) is not set"), vigil::ConfigError);
        std::ofstream(path) << "\n";
        try {
            vigil::read_secret(vigil::Config(&from_file.view), "key_file", "key_env", "the key");
            FAIL("an empty secret file was accepted");
        } catch (const vigil::ConfigError &error) {
            CHECK(std::string(error.what()).find("is empty") != std::string::npos);
        }
        std::filesystem::remove(path);
        unsetenv("VIGIL_TEST_SECRET");
    }
}
