// SPDX-License-Identifier: Apache-2.0
// The http_json output plugin: alerts POSTed over HTTP(S) in the common JSON
// alert shape, one per request or as a JSON array. See README.md.
#include <string>
#include <vector>

#include <vigil/http_client.hpp>
#include <vigil/output.hpp>
#include <vigil/secret.hpp>

#include "alert_shape.hpp"
#include "request_headers.hpp"

namespace vigil_http_json {
namespace {

class HttpJsonOutput final : public vigil::Output {
public:
    HttpJsonOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), url_(config.get_string("url")), batch_(config.get_bool("batch")),
          max_batch_bytes_(checked_batch_bytes(config.get_integer("max_batch_bytes"))),
          headers_(request_headers(config)), client_(client_settings(config))
    {
        if (!url_.starts_with("https://") && !url_.starts_with("http://")) {
            throw vigil::ConfigError("option url must be an http:// or https:// URL, not \"" + url_ + "\"");
        }
        shape_.source = config.get_string("source");
        if (shape_.source.empty()) {
            throw vigil::ConfigError("option source must not be empty");
        }
        host.logf(VIGIL_LOG_INFO, "http_json: POST to %s, %s", url_.c_str(),
                  batch_ ? "JSON arrays of alerts" : "one alert per request");
    }

    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        body_.clear();
        if (!batch_) {
            append_alert(body_, *alerts.front(), shape_);
            request.append(body_);
            return 1;
        }
        body_ += '[';
        std::size_t taken = 0;
        for (const vigil_alert *alert : alerts) {
            item_.clear();
            append_alert(item_, *alert, shape_);
            if (taken > 0 && body_.size() + item_.size() + 2 > max_batch_bytes_) {
                break; // the next request takes it
            }
            body_ += taken > 0 ? "," : "";
            body_ += item_;
            ++taken;
        }
        body_ += ']';
        request.append(body_);
        return taken;
    }

    vigil::SendResult send(std::string_view request) override
    {
        auto response = client_.post(url_, request, headers_);
        vigil_send_result result{};
        // 2xx delivered; no answer, 408, 429 and 5xx retried (after Retry-After); any other status rejected.
        vigil::http::verdict(response, result, vigil::http::RetryPolicy::retry_429_and_5xx);
        reason_ = result.reason;
        return {static_cast<vigil_send_status>(result.status), result.retry_after_ms, reason_};
    }

private:
    static std::size_t checked_batch_bytes(int64_t bytes)
    {
        if (bytes < 4096 || bytes > 64 * 1024 * 1024) {
            throw vigil::ConfigError("option max_batch_bytes must be 4096 to 67108864");
        }
        return static_cast<std::size_t>(bytes);
    }

    static vigil::http::Settings client_settings(const vigil::Config &config)
    {
        auto timeout = config.get_integer("timeout_ms");
        if (timeout < 100 || timeout > 600000) {
            throw vigil::ConfigError("option timeout_ms must be 100 to 600000");
        }
        vigil::http::Settings settings;
        settings.timeout_ms = static_cast<long>(timeout);
        settings.connect_timeout_ms = std::min<long>(settings.connect_timeout_ms, static_cast<long>(timeout));
        settings.ca_file = config.get_string("ca_file");
        return settings;
    }

    std::string url_;
    bool batch_;
    std::size_t max_batch_bytes_;
    std::vector<std::string> headers_;
    vigil::http::Client client_;
    ShapeSettings shape_;
    std::string body_; // reused from one request to the next
    std::string item_;
    std::string reason_;
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("url", VIGIL_CONFIG_STRING, "\"\"", "The endpoint alerts are POSTed to (https:// or http://)."),
    vigil::config_key("batch", VIGIL_CONFIG_BOOL, "false",
                      "false: one alert (a JSON object) per request; true: up to 64 alerts as a JSON array."),
    vigil::config_key("max_batch_bytes", VIGIL_CONFIG_INTEGER, "1048576",
                      "With batch = true, the largest request body in bytes (one alert is always sent whole)."),
    vigil::config_key("source", VIGIL_CONFIG_STRING, "\"vigil\"", "The value of every alert's \"source\" field."),
    vigil::config_key("token_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A file holding a bearer token, sent as \"Authorization: Bearer <token>\" (optional)."),
    vigil::config_key("token_env", VIGIL_CONFIG_STRING, "\"\"",
                      "An environment variable holding the bearer token, instead of token_file (optional)."),
    vigil::config_key("headers", VIGIL_CONFIG_STRING_LIST, "[]",
                      "Extra request headers, each \"Name: value\", e.g. [\"X-Scope: nodes\"]; no secrets here."),
    vigil::config_key("ca_file", VIGIL_CONFIG_STRING, "\"\"",
                      "A PEM CA bundle to verify the receiver's certificate with; \"\" uses the system's."),
    vigil::config_key("timeout_ms", VIGIL_CONFIG_INTEGER, "10000",
                      "Milliseconds one request may take, answer included."),
};

const vigil_route default_route = vigil::route({}); // SIEM-like pipelines take every alert

const vigil_plugin_descriptor descriptor = vigil::describe_output<HttpJsonOutput>({
    .name = "http_json",
    .version = "0.1.0",
    .description = "POSTs alerts over HTTP(S) in the common JSON alert shape, one by one or in arrays.",
    .config_keys = config_keys,
    .default_route = &default_route,
});

} // namespace
} // namespace vigil_http_json

VIGIL_EXPORT_PLUGIN(vigil_http_json::descriptor)
