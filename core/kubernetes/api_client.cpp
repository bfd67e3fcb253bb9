// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/api_client.hpp"

#include <curl/curl.h>

namespace vigil::kubernetes {
namespace {

// A watch line is one pod object: large ones are tens of KiB. A line that
// grows beyond this is not an event but a broken stream.
constexpr std::size_t max_line_bytes = 16 * 1024 * 1024;
constexpr std::size_t max_body_bytes = 256 * 1024 * 1024;

// A watch with no byte for this long is dead (the server sends a bookmark
// about every minute; a half-open TCP connection would otherwise hang forever).
constexpr long watch_idle_limit_s = 150;

// libcurl's global init is not thread-safe; it is done once, before any thread uses it.
void initialise_curl_once()
{
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

} // namespace

struct ApiClient::Transfer {
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    std::string buffer;
    const std::function<bool(std::string_view)> *on_line = nullptr; // nullptr: a plain GET
    bool ended_by_caller = false;
    bool overflow = false;
    long status = 0;

    ~Transfer()
    {
        curl_slist_free_all(headers);
        if (easy != nullptr) {
            curl_easy_cleanup(easy);
        }
    }
};

ApiClient::ApiClient(ApiSettings settings) : settings_(std::move(settings))
{
    initialise_curl_once();
    multi_ = curl_multi_init();
}

ApiClient::~ApiClient()
{
    std::lock_guard lock(multi_mutex_);
    curl_multi_cleanup(static_cast<CURLM *>(multi_));
    multi_ = nullptr;
}

void ApiClient::stop()
{
    stopping_.store(true, std::memory_order_relaxed);
    std::lock_guard lock(multi_mutex_);
    if (multi_ != nullptr) {
        curl_multi_wakeup(static_cast<CURLM *>(multi_));
    }
}

std::size_t ApiClient::on_data(char *data, std::size_t size, std::size_t count, void *context)
{
    auto &transfer = *static_cast<Transfer *>(context);
    auto bytes = size * count;
    if (transfer.status == 0) {
        curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &transfer.status);
    }
    transfer.buffer.append(data, bytes);
    bool streaming = transfer.on_line != nullptr && transfer.status >= 200 && transfer.status < 300;
    if (!streaming) {
        if (transfer.buffer.size() > max_body_bytes) {
            transfer.overflow = true;
            return 0;
        }
        return bytes;
    }
    std::size_t start = 0;
    for (auto newline = transfer.buffer.find('\n'); newline != std::string::npos;
         newline = transfer.buffer.find('\n', start)) {
        std::string_view line(transfer.buffer.data() + start, newline - start);
        start = newline + 1;
        if (!line.empty() && !(*transfer.on_line)(line)) {
            transfer.ended_by_caller = true;
            transfer.buffer.erase(0, start);
            return 0; // aborts the transfer
        }
    }
    transfer.buffer.erase(0, start);
    if (transfer.buffer.size() > max_line_bytes) {
        transfer.overflow = true;
        return 0;
    }
    return bytes;
}

std::expected<ApiResponse, std::string> ApiClient::perform(Transfer &transfer)
{
    auto *multi = static_cast<CURLM *>(multi_);
    if (in_transfer_) {
        // libcurl would answer CURLM_RECURSIVE_API_CALL, which reads as "Failed initialization".
        return std::unexpected("a request from inside a transfer of the same client (libcurl cannot nest them)");
    }
    if (auto added = curl_multi_add_handle(multi, transfer.easy); added != CURLM_OK) {
        return std::unexpected(std::string(curl_multi_strerror(added)));
    }
    in_transfer_ = true;
    CURLcode result = CURLE_OK;
    bool done = false;
    while (!done && !stopping()) {
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg == CURLMSG_DONE) {
                result = message->data.result;
                done = true;
            }
        }
        if (!done) {
            curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
        }
    }
    curl_multi_remove_handle(multi, transfer.easy);
    in_transfer_ = false;
    if (stopping()) {
        return std::unexpected("stopped");
    }
    curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &transfer.status);
    if (transfer.overflow) {
        return std::unexpected("the response is too large");
    }
    if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && transfer.ended_by_caller)) {
        return std::unexpected(std::string(curl_easy_strerror(result)));
    }
    return ApiResponse{transfer.status, std::move(transfer.buffer)};
}

namespace {

void set_blob(CURL *easy, CURLoption option, const std::string &pem)
{
    curl_blob blob{const_cast<char *>(pem.data()), pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(easy, option, &blob);
}

} // namespace

bool ApiClient::prepare(Transfer &transfer, const std::string &path)
{
    transfer.easy = curl_easy_init();
    if (transfer.easy == nullptr) {
        return false;
    }
    auto *easy = transfer.easy;
    auto url = settings_.server + path;
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    if (!settings_.ca_pem.empty()) {
        set_blob(easy, CURLOPT_CAINFO_BLOB, settings_.ca_pem);
    } else if (!settings_.ca_file.empty()) {
        curl_easy_setopt(easy, CURLOPT_CAINFO, settings_.ca_file.c_str());
    }
    if (!settings_.client_certificate_pem.empty()) {
        set_blob(easy, CURLOPT_SSLCERT_BLOB, settings_.client_certificate_pem);
    } else if (!settings_.client_certificate_file.empty()) {
        curl_easy_setopt(easy, CURLOPT_SSLCERT, settings_.client_certificate_file.c_str());
    }
    if (!settings_.client_key_pem.empty()) {
        set_blob(easy, CURLOPT_SSLKEY_BLOB, settings_.client_key_pem);
    } else if (!settings_.client_key_file.empty()) {
        curl_easy_setopt(easy, CURLOPT_SSLKEY, settings_.client_key_file.c_str());
    }
    // Read at every request, not once: a projected token is replaced while the sensor runs.
    auto token = current_token(settings_);
    transfer.headers = curl_slist_append(transfer.headers, "Accept: application/json");
    if (!token.empty()) {
        transfer.headers = curl_slist_append(transfer.headers, ("Authorization: Bearer " + token).c_str());
    }
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "vigil/" VIGIL_VERSION);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &ApiClient::on_data);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    return true;
}

std::expected<ApiResponse, std::string> ApiClient::get(const std::string &path, std::chrono::seconds timeout)
{
    Transfer transfer;
    if (!prepare(transfer, path)) {
        return std::unexpected("curl_easy_init failed");
    }
    curl_easy_setopt(transfer.easy, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    return perform(transfer);
}

std::expected<ApiResponse, std::string> ApiClient::watch(const std::string &path,
                                                         const std::function<bool(std::string_view line)> &on_line)
{
    Transfer transfer;
    if (!prepare(transfer, path)) {
        return std::unexpected("curl_easy_init failed");
    }
    transfer.on_line = &on_line;
    curl_easy_setopt(transfer.easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(transfer.easy, CURLOPT_LOW_SPEED_TIME, watch_idle_limit_s);
    return perform(transfer);
}

} // namespace vigil::kubernetes
