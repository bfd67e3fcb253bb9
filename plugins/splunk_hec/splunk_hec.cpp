// SPDX-License-Identifier: Apache-2.0
// The Splunk HTTP Event Collector output: alerts as events, batched as
// concatenated objects, with indexer acknowledgement when asked for.
#include <algorithm>
#include <string>

#include <vigil/output.hpp>
#include <vigil/plugin.hpp>
#include <vigil/secret.hpp>

#include "channel.hpp"
#include "collector.hpp"
#include "hec_event.hpp"

namespace vigil_splunk_hec {
namespace {

// The collector's default max_content_length is 1 MB; stay well under it.
constexpr int64_t largest_batch_bytes = 800 * 1000;
constexpr int64_t smallest_batch_bytes = 1024;

std::string base_url(const vigil::Config &config)
{
    std::string url = config.get_string("url");
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        throw vigil::ConfigError("option url must be the collector's base URL, e.g. "
                                 "\"https://hec.example.com:8088\", not \"" +
                                 url + "\"");
    }
    return url;
}

int64_t positive(const vigil::Config &config, const char *key)
{
    auto value = config.get_integer(key);
    if (value <= 0) {
        throw vigil::ConfigError(std::string("option ") + key + " must be positive");
    }
    return value;
}

EventSettings event_settings(const vigil::Config &config)
{
    EventSettings settings;
    settings.sourcetype = config.get_string("sourcetype");
    settings.index = config.get_string("index");
    auto bytes = config.get_integer("max_batch_bytes");
    if (bytes < smallest_batch_bytes || bytes > largest_batch_bytes) {
        throw vigil::ConfigError("option max_batch_bytes must be between " + std::to_string(smallest_batch_bytes) +
                                 " and " + std::to_string(largest_batch_bytes));
    }
    settings.max_batch_bytes = static_cast<std::size_t>(bytes);
    return settings;
}

CollectorSettings collector_settings(const vigil::Config &config)
{
    CollectorSettings settings;
    settings.base_url = base_url(config);
    settings.token = vigil::read_secret(config, "token_file", "token_env", "the HEC token");
    settings.use_ack = config.get_bool("use_ack");
    settings.channel = random_channel_uuid();
    settings.ack_timeout = std::chrono::milliseconds(positive(config, "ack_timeout_ms"));
    settings.ack_poll_interval = std::chrono::milliseconds(positive(config, "ack_poll_interval_ms"));
    settings.http.timeout_ms = static_cast<long>(positive(config, "timeout_ms"));
    settings.http.connect_timeout_ms = std::min<long>(settings.http.timeout_ms, 5000);
    settings.http.ca_file = config.get_string("ca_file");
    return settings;
}

class SplunkHecOutput final : public vigil::Output {
public:
    SplunkHecOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), events_(event_settings(config)), collector_(host, collector_settings(config)),
          base_url_(base_url(config)), use_ack_(config.get_bool("use_ack"))
    {
        check_health();
    }

    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        body_.clear();
        auto taken = append_batch(body_, alerts, events_);
        request.append(body_);
        return taken;
    }

    vigil::SendResult send(std::string_view request) override { return collector_.send(request); }

private:
    // Unhealthy is not a refusal: alerts are kept and retried until the collector takes them.
    void check_health()
    {
        auto health = collector_.health();
        if (health.healthy) {
            host().logf(VIGIL_LOG_INFO, "the collector at %s is healthy (%s); indexer acknowledgement %s",
                        base_url_.c_str(), health.description.c_str(), use_ack_ ? "on" : "off");
        } else {
            host().logf(VIGIL_LOG_WARNING,
                        "the collector at %s is not healthy at start (%s); alerts are kept and retried until it "
                        "takes them",
                        base_url_.c_str(), health.description.c_str());
        }
    }

    EventSettings events_;
    Collector collector_;
    std::string base_url_;
    bool use_ack_;
    std::string body_; // reused from one batch to the next
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("url", VIGIL_CONFIG_STRING, "\"\"",
                      "The collector's base URL, e.g. \"https://hec.example.com:8088\"; /services/collector/... "
                      "is appended."),
    vigil::config_key("token_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A file holding the HEC token (a mounted Secret); set this or token_env."),
    vigil::config_key("token_env", VIGIL_CONFIG_STRING, "\"\"",
                      "An environment variable holding the HEC token; set this or token_file."),
    vigil::config_key("sourcetype", VIGIL_CONFIG_STRING, "\"vigil:alert\"", "The events' sourcetype."),
    vigil::config_key("index", VIGIL_CONFIG_STRING, "\"\"",
                      "The index events go to; \"\" leaves it to the token's default index."),
    vigil::config_key("max_batch_bytes", VIGIL_CONFIG_INTEGER, "524288",
                      "The largest request body, 1024 to 800000; keep it under the collector's "
                      "max_content_length (1 MB by default)."),
    vigil::config_key("use_ack", VIGIL_CONFIG_BOOL, "false",
                      "Wait for indexer acknowledgement, which the token must have on; an alert counts as "
                      "delivered only once indexed."),
    vigil::config_key("ack_timeout_ms", VIGIL_CONFIG_INTEGER, "30000",
                      "With use_ack: how long to wait for a batch's acknowledgement before sending it again."),
    vigil::config_key("ack_poll_interval_ms", VIGIL_CONFIG_INTEGER, "500",
                      "With use_ack: how often to ask the collector whether a batch is indexed."),
    vigil::config_key("ca_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A CA bundle to verify the collector's certificate with; \"\" uses the system's."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "10000", "The longest one HTTP request may take."),
};

const vigil_plugin_descriptor descriptor = vigil::describe_output<SplunkHecOutput>({
    .name = "splunk_hec",
    .version = "0.1.0",
    .description = "Sends alerts to a Splunk HTTP Event Collector, batched, with optional indexer acknowledgement.",
    .config_keys = config_keys,
    .default_route = nullptr, // a SIEM takes every alert
});

} // namespace
} // namespace vigil_splunk_hec

VIGIL_EXPORT_PLUGIN(vigil_splunk_hec::descriptor)
