// SPDX-License-Identifier: Apache-2.0
// The Slack output: each alert as one readable message to an incoming webhook.
#include <string>

#include <vigil/output.hpp>
#include <vigil/plugin.hpp>
#include <vigil/secret.hpp>

#include "slack_message.hpp"
#include "webhook.hpp"

namespace vigil_slack {
namespace {

int64_t non_negative(const vigil::Config &config, const char *key, int64_t at_least)
{
    auto value = config.get_integer(key);
    if (value < at_least) {
        throw vigil::ConfigError(std::string("option ") + key + " must be at least " + std::to_string(at_least));
    }
    return value;
}

std::string webhook_url(const vigil::Config &config)
{
    auto url = vigil::read_secret(config, "webhook_url_file", "webhook_url_env", "the Slack webhook URL");
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        // Never the value itself: the URL is the secret.
        throw vigil::ConfigError("the Slack webhook URL must start with https://");
    }
    return url;
}

vigil::http::Settings http_settings(const vigil::Config &config)
{
    vigil::http::Settings settings;
    settings.timeout_ms = static_cast<long>(non_negative(config, "timeout_ms", 1));
    settings.connect_timeout_ms = std::min<long>(settings.timeout_ms, 5000);
    settings.ca_file = config.get_string("ca_file");
    return settings;
}

class SlackOutput final : public vigil::Output {
public:
    SlackOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), url_(webhook_url(config)),
          webhook_(url_, http_settings(config), std::chrono::milliseconds(non_negative(config, "min_interval_ms", 0)))
    {
        host.logf(VIGIL_LOG_INFO, "posting to the webhook at %s, one message per alert",
                  loggable_webhook(url_).c_str());
    }

    // Slack takes one message per request.
    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        message_.clear();
        append_message(message_, *alerts.front());
        request.append(message_);
        return 1;
    }

    vigil::SendResult send(std::string_view request) override { return webhook_.send(request); }

private:
    std::string url_;
    Webhook webhook_;
    std::string message_; // reused from one alert to the next
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("webhook_url_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A file holding the incoming webhook URL (it is the secret); set this or webhook_url_env."),
    vigil::config_key("webhook_url_env", VIGIL_CONFIG_STRING, "\"\"",
                      "An environment variable holding the incoming webhook URL; set this or webhook_url_file."),
    vigil::config_key("min_interval_ms", VIGIL_CONFIG_INTEGER, "1000",
                      "The least time between two messages: Slack allows about one a second per webhook."),
    vigil::config_key("ca_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A CA bundle to verify the webhook's certificate with; \"\" uses the system's."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "10000", "The longest one HTTP request may take."),
};

// Discovery and Execution go to people for review; paging is someone else's job.
constexpr const char *review_tactics[] = {"TA0007", "TA0002"};
constexpr vigil_route default_route = vigil::route({.tactics = review_tactics});

const vigil_plugin_descriptor descriptor = vigil::describe_output<SlackOutput>({
    .name = "slack",
    .version = "0.1.0",
    .description = "Posts each alert as a readable message to a Slack incoming webhook.",
    .config_keys = config_keys,
    .default_route = &default_route,
});

} // namespace
} // namespace vigil_slack

VIGIL_EXPORT_PLUGIN(vigil_slack::descriptor)
