// SPDX-License-Identifier: Apache-2.0
// The PagerDuty output plugin: one Events API v2 trigger per alert, with a
// dedup key per finding so that repeats update one incident. See README.md.
#include <unistd.h>

#include <string>

#include <vigil/http_client.hpp>
#include <vigil/output.hpp>
#include <vigil/secret.hpp>

#include "event_body.hpp"

namespace vigil_pagerduty {
namespace {

std::string enqueue_url(const vigil::Config &config)
{
    const auto url = config.get_string("url");
    if (!url.empty()) {
        if (!url.starts_with("https://") && !url.starts_with("http://")) {
            throw vigil::ConfigError("option url must start with https:// (or http:// for a local proxy), not \"" +
                                     url + "\"");
        }
        return url;
    }
    const auto region = config.get_string("region");
    if (region == "us") {
        return "https://events.pagerduty.com/v2/enqueue";
    }
    if (region == "eu") {
        return "https://events.eu.pagerduty.com/v2/enqueue";
    }
    throw vigil::ConfigError("option region must be \"us\" or \"eu\", not \"" + region + "\"");
}

std::string checked_routing_key(std::string key)
{
    // The length only: the key itself is never written to a message.
    if (key.size() != routing_key_length) {
        throw vigil::ConfigError("the PagerDuty routing key must be " + std::to_string(routing_key_length) +
                                 " characters (an Events API v2 integration key), not " + std::to_string(key.size()));
    }
    return key;
}

long checked_timeout(const vigil::Config &config)
{
    auto value = config.get_integer("timeout_ms");
    if (value < 100 || value > 600'000) {
        throw vigil::ConfigError("option timeout_ms must be between 100 and 600000");
    }
    return static_cast<long>(value);
}

std::string node_name(const vigil::Host &host)
{
    const auto *facts = host.host_info();
    if (facts != nullptr && facts->node_name != nullptr && facts->node_name[0] != '\0') {
        return facts->node_name;
    }
    char name[256] = {};
    return ::gethostname(name, sizeof(name) - 1) == 0 ? std::string(name) : std::string("unknown");
}

class PagerDutyOutput final : public vigil::Output {
public:
    PagerDutyOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), url_(enqueue_url(config)),
          routing_key_(checked_routing_key(
              vigil::read_secret(config, "routing_key_file", "routing_key_env", "the PagerDuty routing key"))),
          node_(node_name(host)),
          client_(vigil::http::Settings{.timeout_ms = checked_timeout(config), .ca_file = config.get_string("ca_file")})
    {
        host.logf(VIGIL_LOG_INFO, "events to %s", url_.c_str());
    }

    // PagerDuty takes one event per request: always one alert.
    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        request.append(event_body(*alerts.front(), node_));
        return 1;
    }

    vigil::SendResult send(std::string_view request) override
    {
        auto response = client_.post(url_, with_routing_key(request, routing_key_), {"Content-Type: application/json"});
        // 202 delivered; 400 (invalid event) and other 4xx rejected; 408, 429 and 5xx
        // retried, after Retry-After if one came, else with the sensor's backoff.
        vigil::http::verdict(response, result_, vigil::http::RetryPolicy::retry_429_and_5xx);
        return {static_cast<vigil_send_status>(result_.status), result_.retry_after_ms, result_.reason};
    }

private:
    std::string url_;
    std::string routing_key_;
    std::string node_;
    vigil::http::Client client_;
    vigil_send_result result_{}; // the reason a SendResult points into
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("region", VIGIL_CONFIG_STRING, "\"us\"",
                      "\"us\" (events.pagerduty.com) or \"eu\" (events.eu.pagerduty.com)."),
    vigil::config_key("url", VIGIL_CONFIG_STRING, "\"\"",
                      "The full enqueue URL instead of the region's (a proxy, a test)."),
    vigil::config_key("routing_key_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A file holding the 32-character integration (routing) key; set this or routing_key_env."),
    vigil::config_key("routing_key_env", VIGIL_CONFIG_STRING, "\"\"",
                      "An environment variable holding the routing key; set this or routing_key_file."),
    vigil::config_key("ca_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A CA bundle to verify the receiver with; \"\" uses the system's."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "15000",
                      "The most a request may take, answer included (100 to 600000)."),
};

// Not every tactic warrants a page at 3 AM: privilege escalation and lateral
// movement, high and critical.
constexpr const char *paging_tactics[] = {"TA0004", "TA0008"};
constexpr vigil_route default_route = vigil::route({
    .min_severity = VIGIL_SEVERITY_HIGH,
    .tactics = paging_tactics,
});

const vigil_plugin_descriptor descriptor = vigil::describe_output<PagerDutyOutput>({
    .name = "pagerduty",
    .version = "0.1.0",
    .description = "Pages through PagerDuty Events API v2, one incident per finding, on privilege escalation and "
                   "lateral movement by default.",
    .config_keys = config_keys,
    .default_route = &default_route,
});

} // namespace
} // namespace vigil_pagerduty

VIGIL_EXPORT_PLUGIN(vigil_pagerduty::descriptor)
