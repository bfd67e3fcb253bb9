// SPDX-License-Identifier: Apache-2.0
// A small libcurl client for the Kubernetes API: GET a JSON object, or follow
// a watch stream (one JSON event per line) until it ends. Used by the pod
// watcher's thread only; stop() may be called from any other thread and ends
// a transfer in progress at once (curl_multi_wakeup), not at the next byte.
//
// One transfer at a time: a watch's on_line runs inside libcurl's write
// callback, where libcurl refuses any call on the same multi handle. A request
// made from there must go through another ApiClient; on this one it fails at
// once with an error that says so.
#pragma once

#include <atomic>
#include <chrono>
#include <expected>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/kubernetes/api_settings.hpp"

namespace vigil::kubernetes {

struct ApiResponse {
    long status = 0;
    std::string body; // for a watch: what came after the last complete line, or an error body
};

class ApiClient {
public:
    explicit ApiClient(ApiSettings settings);
    ~ApiClient();
    ApiClient(const ApiClient &) = delete;
    ApiClient &operator=(const ApiClient &) = delete;

    // GET @path (starting with '/'). An error for a transfer that failed
    // (connect, TLS, timeout, stopped); any HTTP status is a response.
    std::expected<ApiResponse, std::string> get(const std::string &path, std::chrono::seconds timeout);

    // GET @path and call @on_line with each complete line of a 2xx body as it
    // arrives; @on_line returns false to end the stream. A non-2xx body is not
    // split but returned whole. Returns when the server ends the stream, the
    // connection drops (an error), @on_line says stop, or stop() is called.
    std::expected<ApiResponse, std::string> watch(const std::string &path,
                                                  const std::function<bool(std::string_view line)> &on_line);

    // Ends the current and every later transfer. Any thread.
    void stop();
    bool stopping() const { return stopping_.load(std::memory_order_relaxed); }

    const ApiSettings &settings() const { return settings_; }

private:
    struct Transfer;
    bool prepare(Transfer &transfer, const std::string &path);
    std::expected<ApiResponse, std::string> perform(Transfer &transfer);
    static std::size_t on_data(char *data, std::size_t size, std::size_t count, void *context);

    ApiSettings settings_;
    void *multi_ = nullptr;  // CURLM*
    std::mutex multi_mutex_; // curl_multi_wakeup against destruction
    std::atomic<bool> stopping_{false};
    bool in_transfer_ = false; // the owning thread's: a get or watch is in progress
};

} // namespace vigil::kubernetes
