// SPDX-License-Identifier: Apache-2.0
// The Datadog output plugin: alerts to the Logs API (batched), the Events API
// (one per request), or both. See README.md.
#include <unistd.h>

#include <string>
#include <vector>

#include <vigil/http_client.hpp>
#include <vigil/output.hpp>
#include <vigil/secret.hpp>

#include "event_body.hpp"
#include "gzip.hpp"
#include "log_batch.hpp"
#include "part_delivery.hpp"
#include "request_parts.hpp"

namespace vigil_datadog {
namespace {

enum class Mode { logs, events, both };

Mode parse_mode(const std::string &mode)
{
    if (mode == "logs") {
        return Mode::logs;
    }
    if (mode == "events") {
        return Mode::events;
    }
    if (mode == "both") {
        return Mode::both;
    }
    throw vigil::ConfigError("option mode must be \"logs\", \"events\" or \"both\", not \"" + mode + "\"");
}

std::string checked_site(const std::string &site)
{
    if (site.empty() || site.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
        throw vigil::ConfigError(
            "option site must be a Datadog site such as \"datadoghq.com\" or \"datadoghq.eu\", not \"" + site + "\"");
    }
    return site;
}

std::string checked_base_url(std::string url)
{
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        throw vigil::ConfigError("option url must start with https:// (or http:// for a local proxy), not \"" + url +
                                 "\"");
    }
    while (url.ends_with('/')) {
        url.pop_back();
    }
    return url;
}

std::vector<std::string> checked_tags(const std::vector<std::string> &tags)
{
    for (const auto &tag : tags) {
        auto colon = tag.find(':');
        if (colon == std::string::npos || colon == 0 || tag.find(',') != std::string::npos) {
            throw vigil::ConfigError("option tags: \"" + tag + "\" is not a key:value tag without commas");
        }
    }
    return tags;
}

std::string this_host()
{
    char name[256] = {};
    if (::gethostname(name, sizeof(name) - 1) != 0) {
        return "unknown";
    }
    return name;
}

class DatadogOutput final : public vigil::Output {
public:
    DatadogOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), mode_(parse_mode(config.get_string("mode"))),
          api_key_(vigil::read_secret(config, "api_key_file", "api_key_env", "the Datadog API key")),
          gzip_(config.get_bool("gzip")),
          client_(vigil::http::Settings{.timeout_ms = timeout(config), .ca_file = config.get_string("ca_file")})
    {
        const auto site = checked_site(config.get_string("site"));
        const auto url = config.get_string("url");
        const auto logs_base = url.empty() ? "https://http-intake.logs." + site : checked_base_url(url);
        const auto events_base = url.empty() ? "https://api." + site : checked_base_url(url);
        logs_url_ = logs_base + "/api/v2/logs";
        events_url_ = events_base + "/api/v1/events";
        formatting_.service = config.get_string("service");
        formatting_.source = config.get_string("source");
        formatting_.extra_tags = checked_tags(config.get_list("tags"));
        const auto *facts = host.host_info();
        formatting_.fallback_host = facts != nullptr && facts->node_name != nullptr && facts->node_name[0] != '\0'
                                        ? facts->node_name
                                        : this_host();
        if (formatting_.service.empty() || formatting_.source.empty()) {
            throw vigil::ConfigError("options service and source must not be empty");
        }
        host.logf(VIGIL_LOG_INFO, "mode %s, logs to %s, events to %s", config.get_string("mode").c_str(),
                  mode_ == Mode::events ? "-" : logs_url_.c_str(), mode_ == Mode::logs ? "-" : events_url_.c_str());
    }

    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        std::string framed;
        std::size_t taken = 1;
        if (mode_ == Mode::events) {
            // One event per request: a rejection then names exactly one alert.
            append_part(framed, PartKind::event, event_body(*alerts.front(), formatting_));
        } else {
            taken = format_log_batch(alerts, formatting_, body_);
            if (gzip_) {
                append_part(framed, PartKind::logs_gzip, gzip(body_));
            } else {
                append_part(framed, PartKind::logs, body_);
            }
            if (mode_ == Mode::both) {
                for (std::size_t index = 0; index < taken; ++index) {
                    append_part(framed, PartKind::event, event_body(*alerts[index], formatting_));
                }
            }
        }
        request.append(framed);
        return taken;
    }

    vigil::SendResult send(std::string_view request) override
    {
        auto outcome =
            delivery_.send(request, [this](const Part &part, vigil_send_result &result) { post(part, result); });
        if (!delivery_.warning().empty()) {
            host().logf(VIGIL_LOG_WARNING, "%s", delivery_.warning().c_str());
        }
        return outcome;
    }

private:
    static long timeout(const vigil::Config &config)
    {
        auto value = config.get_integer("timeout_ms");
        if (value < 100 || value > 600'000) {
            throw vigil::ConfigError("option timeout_ms must be between 100 and 600000");
        }
        return static_cast<long>(value);
    }

    void post(const Part &part, vigil_send_result &result)
    {
        std::vector<std::string> headers{"Content-Type: application/json", "DD-API-KEY: " + api_key_};
        if (part.kind == PartKind::logs_gzip) {
            headers.emplace_back("Content-Encoding: gzip");
        }
        const auto &url = part.kind == PartKind::event ? events_url_ : logs_url_;
        auto response = client_.post(url, part.body, headers);
        // 400, 401, 403, 413 and other 4xx are rejected; 408, 429 and 5xx retried,
        // a 429 after the seconds its X-RateLimit-Reset names.
        vigil::http::verdict(response, result, vigil::http::RetryPolicy::retry_429_and_5xx, "x-ratelimit-reset");
    }

    Mode mode_;
    std::string api_key_;
    bool gzip_;
    vigil::http::Client client_;
    std::string logs_url_;
    std::string events_url_;
    Formatting formatting_;
    std::string body_; // reused from one batch to the next
    PartDelivery delivery_;
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("mode", VIGIL_CONFIG_STRING, "\"logs\"",
                      "\"logs\" (Logs API, batched), \"events\" (Events API, one per alert) or \"both\"."),
    vigil::config_key("site", VIGIL_CONFIG_STRING, "\"datadoghq.com\"",
                      "The Datadog site: datadoghq.com, datadoghq.eu, us3.datadoghq.com, us5.datadoghq.com, ..."),
    vigil::config_key(
        "url", VIGIL_CONFIG_STRING, "\"\"",
        "A base URL used instead of https://http-intake.logs.<site> and https://api.<site> (a proxy, a test)."),
    vigil::config_key("api_key_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A file holding the API key (a mounted Secret); set this or api_key_env."),
    vigil::config_key("api_key_env", VIGIL_CONFIG_STRING, "\"\"",
                      "An environment variable holding the API key; set this or api_key_file."),
    vigil::config_key("ca_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A CA bundle to verify the receiver with; \"\" uses the system's."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "15000",
                      "The most a request may take, answer included (100 to 600000)."),
    vigil::config_key("gzip", VIGIL_CONFIG_BOOL, "true", "Compress Logs API requests (Content-Encoding: gzip)."),
    vigil::config_key("service", VIGIL_CONFIG_STRING, "\"vigil\"", "The logs' service attribute."),
    vigil::config_key("source", VIGIL_CONFIG_STRING, "\"vigil\"",
                      "The logs' ddsource and the events' source_type_name."),
    vigil::config_key("tags", VIGIL_CONFIG_STRING_LIST, "[]",
                      "More key:value tags for every alert, e.g. [\"env:prod\", \"cluster:eu-1\"]."),
};

const vigil_plugin_descriptor descriptor = vigil::describe_output<DatadogOutput>({
    .name = "datadog",
    .version = "0.1.0",
    .description = "Sends alerts to Datadog as logs (batched) or events, with ATT&CK tactics and techniques as tags.",
    .config_keys = config_keys,
    // A SIEM-like output: every alert (default_route NULL).
});

} // namespace
} // namespace vigil_datadog

VIGIL_EXPORT_PLUGIN(vigil_datadog::descriptor)
