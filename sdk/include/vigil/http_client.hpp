// SPDX-License-Identifier: Apache-2.0
// HTTP(S) for output plugins, on libcurl: one connection kept alive per
// client, TLS verified by default (a CA bundle can be named), timeouts on
// connecting and on the whole request, and the receiver's answer turned into
// the sensor's verdict: delivered, retry (after how long), or rejected for
// good. Header-only; a plugin that includes it links CURL::libcurl.
//
//   vigil::http::Client client({.timeout_ms = 10000, .ca_file = ca});
//   auto response = client.post(url, body, {"Content-Type: application/json", "DD-API-KEY: " + key});
//   vigil::http::verdict(response, result, vigil::http::retry_429_and_5xx);
//
// Threads: one Client per output instance; the sensor calls an output's send
// hook from one thread at a time.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::http {

struct Settings {
    long connect_timeout_ms = 5000;
    long timeout_ms = 15000; // the whole request, answer included
    bool verify_tls = true;  // the peer's certificate and name; turning it off is for tests only
    std::string ca_file;     // "" uses the system's bundle
};

struct Response {
    long status = 0;                                          // 0 when no answer came
    std::string body;                                         // at most max_body_bytes of it
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case
    std::string transport_error;                              // why no answer came ("" when one did)

    // The first header named @name (lower case), if any.
    std::optional<std::string> header(std::string_view name) const
    {
        for (const auto &[key, value] : headers) {
            if (key == name) {
                return value;
            }
        }
        return std::nullopt;
    }
};

// Only the start of an answer is kept: it is read for status words and logs.
inline constexpr std::size_t max_body_bytes = 64 * 1024;

class Client {
public:
    explicit Client(Settings settings = {}) : settings_(std::move(settings))
    {
        // Thread-safe since libcurl 7.84 (Debian 12 ships 7.88), and counted.
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl could not be initialised");
        }
        handle_ = curl_easy_init();
        if (handle_ == nullptr) {
            curl_global_cleanup();
            throw std::runtime_error("libcurl could not create a handle");
        }
    }
    ~Client()
    {
        curl_easy_cleanup(handle_);
        curl_global_cleanup();
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    Response post(const std::string &url, std::string_view body, const std::vector<std::string> &headers)
    {
        return perform("POST", url, body, headers);
    }
    Response get(const std::string &url, const std::vector<std::string> &headers)
    {
        return perform("GET", url, {}, headers);
    }

private:
    Response perform(const char *method, const std::string &url, std::string_view body,
                     const std::vector<std::string> &headers)
    {
        Response response;
        curl_easy_reset(handle_); // keeps the connection cache: the next request reuses the connection
        curl_slist *list = nullptr;
        for (const auto &header : headers) {
            list = curl_slist_append(list, header.c_str());
        }
        // libcurl would otherwise send "Expect: 100-continue" on larger bodies and wait for it.
        list = curl_slist_append(list, "Expect:");
        curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
        curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
        curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, settings_.timeout_ms);
        curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYPEER, settings_.verify_tls ? 1L : 0L);
        curl_easy_setopt(handle_, CURLOPT_SSL_VERIFYHOST, settings_.verify_tls ? 2L : 0L);
        if (!settings_.ca_file.empty()) {
            curl_easy_setopt(handle_, CURLOPT_CAINFO, settings_.ca_file.c_str());
        }
        // Never follow a redirect with a secret in the headers.
        curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L);
        if (std::string_view(method) == "POST") {
            curl_easy_setopt(handle_, CURLOPT_POST, 1L);
            curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        } else {
            curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
        }
        curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Client::collect_body);
        curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &response);
        curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &Client::collect_header);
        curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &response);
        char error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error);

        CURLcode code = curl_easy_perform(handle_);
        curl_slist_free_all(list);
        curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, nullptr);
        if (code != CURLE_OK) {
            response.status = 0;
            response.transport_error = error[0] != '\0' ? error : curl_easy_strerror(code);
            return response;
        }
        curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response.status);
        return response;
    }

    static size_t collect_body(char *data, size_t size, size_t count, void *context)
    {
        auto &response = *static_cast<Response *>(context);
        const size_t bytes = size * count;
        const size_t room = max_body_bytes - std::min(max_body_bytes, response.body.size());
        response.body.append(data, std::min(bytes, room));
        return bytes;
    }

    static size_t collect_header(char *data, size_t size, size_t count, void *context)
    {
        auto &response = *static_cast<Response *>(context);
        const size_t bytes = size * count;
        std::string_view line(data, bytes);
        if (line.starts_with("HTTP/")) {
            response.headers.clear(); // a new response (after a 100 Continue, say)
            return bytes;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            return bytes;
        }
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
            value.remove_prefix(1);
        }
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
            value.remove_suffix(1);
        }
        response.headers.emplace_back(std::move(name), std::string(value));
        return bytes;
    }

    Settings settings_;
    CURL *handle_ = nullptr;
};

// Milliseconds a `Retry-After` value asks to wait: delay-seconds or an HTTP-date.
inline std::optional<uint64_t> retry_after_ms(std::string_view value, std::time_t now = std::time(nullptr))
{
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return static_cast<uint64_t>(std::stoull(std::string(value))) * 1000;
    }
    std::tm date{};
    std::string text(value);
    if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date) == nullptr) {
        return std::nullopt;
    }
    std::time_t then = timegm(&date);
    return then > now ? static_cast<uint64_t>(then - now) * 1000 : 0;
}

// Which statuses a receiver documents as worth retrying.
enum class RetryPolicy {
    retry_429_and_5xx,         // most: 408 too, and every 5xx
    retry_429_and_5xx_but_501, // Splunk HEC: 501 (not implemented) is permanent
};

// Fills @result from @response: 2xx delivered; no answer, 408, 429 and the
// policy's 5xx retried (after Retry-After, or @rate_limit_header, when the
// receiver says); anything else rejected for good, with the status and the
// start of the body as the reason (receivers do not echo secrets back).
inline void verdict(const Response &response, vigil_send_result &result,
                    RetryPolicy policy = RetryPolicy::retry_429_and_5xx,
                    std::string_view rate_limit_header = "retry-after")
{
    auto reason = [&](const std::string &text) {
        std::snprintf(result.reason, sizeof(result.reason), "%s", text.c_str());
    };
    result.retry_after_ms = 0;
    if (response.status == 0) {
        result.status = VIGIL_SEND_RETRY;
        reason("no answer: " + response.transport_error);
        return;
    }
    if (response.status >= 200 && response.status < 300) {
        result.status = VIGIL_SEND_OK;
        reason("");
        return;
    }
    const bool server_error =
        response.status >= 500 && !(policy == RetryPolicy::retry_429_and_5xx_but_501 && response.status == 501);
    const std::string summary = "HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 160);
    if (response.status == 408 || response.status == 429 || server_error) {
        result.status = VIGIL_SEND_RETRY;
        auto wait = response.header(rate_limit_header);
        if (!wait && rate_limit_header != "retry-after") {
            wait = response.header("retry-after");
        }
        if (wait) {
            result.retry_after_ms = retry_after_ms(*wait).value_or(0);
        }
        reason(summary);
        return;
    }
    result.status = VIGIL_SEND_REJECT;
    reason(summary);
}

} // namespace vigil::http
