// SPDX-License-Identifier: Apache-2.0
#include "core/audit/webhook_server.hpp"

#include <chrono>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include "core/audit/audit_parser.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::audit {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto handshake_timeout = std::chrono::seconds(10);
// Long enough for a 32 MiB batch on a slow link; an idle kept-alive connection is closed after it.
constexpr auto request_timeout = std::chrono::seconds(60);

bool is_json_content_type(std::string_view value)
{
    auto semicolon = value.find(';');
    auto type = value.substr(0, semicolon);
    while (!type.empty() && type.back() == ' ') {
        type.remove_suffix(1);
    }
    return beast::iequals(beast::string_view(type.data(), type.size()), "application/json");
}

std::string_view std_view(beast::string_view text)
{
    return std::string_view(text.data(), text.size());
}

} // namespace

class WebhookServer::Impl {
public:
    Impl(WebhookSettings settings, AuditQueue &queue, ParseFailureCounts &failures)
        : settings_(std::move(settings)), queue_(queue), failures_(failures), tls_(ssl::context::tls_server)
    {
    }

    std::expected<void, std::string> load_tls();
    std::expected<void, std::string> start();
    void stop();
    void accept();

    WebhookSettings settings_;
    AuditQueue &queue_;
    ParseFailureCounts &failures_;
    ssl::context tls_;
    asio::io_context io_;
    tcp::acceptor acceptor_{io_};
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> connections_{0};
    WebhookStatistics statistics_;
    util::LogThrottle unauthenticated_log_;
    util::LogThrottle malformed_log_;
    util::LogThrottle full_log_;
    util::LogThrottle tls_log_;
    util::LogThrottle refused_log_;
    uint16_t port_ = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, WebhookServer::Impl &server) : stream_(std::move(socket), server.tls_), server_(server)
    {
        beast::error_code error;
        auto peer = stream_.next_layer().socket().remote_endpoint(error);
        peer_ = error ? std::string("?") : peer.address().to_string() + ":" + std::to_string(peer.port());
    }
    ~Session() { server_.connections_.fetch_sub(1, std::memory_order_relaxed); }

    void run()
    {
        stream_.next_layer().expires_after(handshake_timeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](beast::error_code error) { self->on_handshake(error); });
    }

private:
    void on_handshake(beast::error_code error)
    {
        if (error) {
            server_.statistics_.tls_failures.fetch_add(1, std::memory_order_relaxed);
            if (auto held = server_.tls_log_.allow()) {
                spdlog::warn("audit webhook: TLS handshake with {} failed: {} ({} more not logged)", peer_,
                             error.message(), *held);
            }
            return;
        }
        certificate_ok_ = verified_client_certificate();
        read_header();
    }

    // A client certificate counts only if it chains to the configured CA.
    bool verified_client_certificate()
    {
        if (server_.settings_.client_ca_file.empty()) {
            return false;
        }
        SSL *handle = stream_.native_handle();
        X509 *certificate = SSL_get1_peer_certificate(handle);
        if (certificate == nullptr) {
            return false;
        }
        X509_free(certificate);
        return SSL_get_verify_result(handle) == X509_V_OK;
    }

    void read_header()
    {
        parser_.emplace();
        parser_->body_limit(server_.settings_.max_body_bytes);
        stream_.next_layer().expires_after(request_timeout);
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_header(error); });
    }

    void on_header(beast::error_code error)
    {
        if (error) {
            // end_of_stream: the client closed a kept-alive connection; anything else ends it too.
            return;
        }
        server_.statistics_.requests.fetch_add(1, std::memory_order_relaxed);
        const auto &request = parser_->get();
        // Authentication first: nothing about the endpoint is told to a client that has not proven who it is.
        if (!authenticated(request)) {
            return;
        }
        if (request.target() != server_.settings_.path) {
            refuse(http::status::not_found, "no such path");
            return;
        }
        if (request.method() != http::verb::post) {
            refuse(http::status::method_not_allowed, "POST only");
            return;
        }
        if (!is_json_content_type(std_view(request[http::field::content_type]))) {
            refuse(http::status::unsupported_media_type, "Content-Type must be application/json");
            return;
        }
        if (auto length = parser_->content_length(); length && *length > server_.settings_.max_body_bytes) {
            refuse(http::status::payload_too_large, "body too large");
            return;
        }
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code read_error, std::size_t) { self->on_body(read_error); });
    }

    bool authenticated(const http::request<http::string_body> &request)
    {
        if (certificate_ok_) {
            return true;
        }
        const char *why = "no bearer token and no verified client certificate";
        if (server_.settings_.token) {
            auto credential = bearer_credential(std_view(request[http::field::authorization]));
            if (!credential.empty()) {
                if (server_.settings_.token->matches(credential)) {
                    return true;
                }
                why = "wrong bearer token";
            }
        }
        server_.statistics_.unauthenticated.fetch_add(1, std::memory_order_relaxed);
        if (auto held = server_.unauthenticated_log_.allow()) {
            // The peer, never the credential it presented.
            spdlog::warn("audit webhook: unauthenticated request from {} refused (401): {} ({} more not logged)", peer_,
                         why, *held);
        }
        respond(http::status::unauthorized, "unauthenticated", false);
        return false;
    }

    void refuse(http::status status, std::string_view why)
    {
        server_.statistics_.other_refusals.fetch_add(1, std::memory_order_relaxed);
        if (auto held = server_.refused_log_.allow()) {
            spdlog::warn("audit webhook: request from {} refused ({}): {} ({} more not logged)", peer_,
                         static_cast<unsigned>(status), why, *held);
        }
        // The body was not read: the connection cannot be reused.
        respond(status, why, false);
    }

    void on_body(beast::error_code error)
    {
        if (error == http::error::body_limit) {
            refuse(http::status::payload_too_large, "body too large");
            return;
        }
        if (error) {
            return;
        }
        auto status = take_batch(parser_->get().body());
        respond(status.first, status.second, parser_->get().keep_alive());
    }

    std::pair<http::status, std::string_view> take_batch(const std::string &body)
    {
        auto &stats = server_.statistics_;
        auto batch = parse_event_list(body, VIGIL_AUDIT_SOURCE_WEBHOOK);
        if (!batch) {
            server_.failures_.add(batch.error().reason);
            stats.malformed_batches.fetch_add(1, std::memory_order_relaxed);
            if (auto held = server_.malformed_log_.allow()) {
                spdlog::warn("audit webhook: malformed batch from {} refused (400): {}{}{} ({} more not logged)", peer_,
                             reason_name(batch.error().reason), batch.error().detail.empty() ? "" : ": ",
                             batch.error().detail, *held);
            }
            return {http::status::bad_request, "malformed audit EventList"};
        }
        // A bad item is skipped and counted; the others still go through, since
        // a retry of the same batch could never make it good.
        for (const auto &failure : batch->item_failures) {
            server_.failures_.add(failure.reason);
            if (auto held = server_.malformed_log_.allow()) {
                spdlog::warn("audit webhook: malformed event in a batch from {} skipped: {}{}{} ({} more not logged)",
                             peer_, reason_name(failure.reason), failure.detail.empty() ? "" : ": ", failure.detail,
                             *held);
            }
        }
        auto count = batch->events.size();
        if (!server_.queue_.try_push_all(batch->events)) {
            stats.refused_queue_full.fetch_add(1, std::memory_order_relaxed);
            if (auto held = server_.full_log_.allow()) {
                spdlog::warn("audit webhook: queue full, batch of {} events from {} refused (503) for the API "
                             "server to retry ({} more not logged)",
                             count, peer_, *held);
            }
            return {http::status::service_unavailable, "queue full, retry later"};
        }
        stats.accepted_batches.fetch_add(1, std::memory_order_relaxed);
        stats.accepted_events.fetch_add(count, std::memory_order_relaxed);
        return {http::status::ok, "{}"};
    }

    void respond(http::status status, std::string_view body, bool keep_alive)
    {
        response_ = {};
        response_.result(status);
        response_.version(11);
        response_.set(http::field::server, "vigil");
        response_.set(http::field::content_type, status == http::status::ok ? "application/json" : "text/plain");
        if (status == http::status::service_unavailable) {
            response_.set(http::field::retry_after, "1");
        }
        response_.body() = std::string(body);
        response_.keep_alive(keep_alive);
        response_.prepare_payload();
        http::async_write(stream_, response_,
                          [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                              if (error) {
                                  return;
                              }
                              if (keep_alive) {
                                  self->read_header();
                              } else {
                                  self->close();
                              }
                          });
    }

    void close()
    {
        stream_.next_layer().expires_after(std::chrono::seconds(5));
        stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
    }

    beast::ssl_stream<beast::tcp_stream> stream_;
    WebhookServer::Impl &server_;
    std::string peer_;
    bool certificate_ok_ = false;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::response<http::string_body> response_;
};

} // namespace

std::expected<void, std::string> WebhookServer::Impl::load_tls()
{
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code error;
    if (tls_.use_certificate_chain_file(settings_.cert_file, error); error) {
        return std::unexpected("[audit] webhook_cert_file " + settings_.cert_file + ": " + error.message());
    }
    if (tls_.use_private_key_file(settings_.key_file, ssl::context::pem, error); error) {
        return std::unexpected("[audit] webhook_key_file " + settings_.key_file + ": " + error.message());
    }
    if (!settings_.client_ca_file.empty()) {
        if (tls_.load_verify_file(settings_.client_ca_file, error); error) {
            return std::unexpected("[audit] webhook_client_ca_file " + settings_.client_ca_file + ": " +
                                   error.message());
        }
        // Ask for a certificate without requiring one (a token is the other way in), and let the
        // handshake finish whatever the verification says: the session checks the result, so that
        // a bad certificate gets a 401 and a log line rather than a bare TLS alert.
        tls_.set_verify_mode(ssl::verify_peer);
        tls_.set_verify_callback([](bool, ssl::verify_context &) { return true; });
        SSL_CTX_set_purpose(tls_.native_handle(), X509_PURPOSE_SSL_CLIENT);
    }
    return {};
}

std::expected<void, std::string> WebhookServer::Impl::start()
{
    beast::error_code error;
    auto address = asio::ip::make_address(settings_.listen.host, error);
    if (error) {
        // A name such as localhost: resolved once, at start.
        tcp::resolver resolver(io_);
        auto results = resolver.resolve(settings_.listen.host, std::to_string(settings_.listen.port), error);
        if (error || results.empty()) {
            return std::unexpected("[audit] webhook_listen: cannot resolve " + settings_.listen.host + ": " +
                                   error.message());
        }
        address = results.begin()->endpoint().address();
    }
    tcp::endpoint endpoint(address, settings_.listen.port);
    auto where = [&] { return settings_.listen.host + ":" + std::to_string(settings_.listen.port); };
    if (acceptor_.open(endpoint.protocol(), error); error) {
        return std::unexpected("audit webhook: cannot open a socket for " + where() + ": " + error.message());
    }
    acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (acceptor_.bind(endpoint, error); error) {
        return std::unexpected("audit webhook: cannot listen on " + where() + ": " + error.message());
    }
    if (acceptor_.listen(asio::socket_base::max_listen_connections, error); error) {
        return std::unexpected("audit webhook: cannot listen on " + where() + ": " + error.message());
    }
    port_ = acceptor_.local_endpoint().port();
    accept();
    for (unsigned index = 0; index < std::max(1u, settings_.threads); ++index) {
        threads_.emplace_back([this] {
            for (;;) {
                try {
                    io_.run();
                    return;
                } catch (const std::exception &exception) {
                    // A handler must never take the webhook down; log and serve on.
                    spdlog::error("audit webhook: {}", exception.what());
                }
            }
        });
    }
    return {};
}

void WebhookServer::Impl::accept()
{
    acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
        if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (!error) {
            if (connections_.fetch_add(1, std::memory_order_relaxed) >= settings_.max_connections) {
                connections_.fetch_sub(1, std::memory_order_relaxed);
                statistics_.connections_refused.fetch_add(1, std::memory_order_relaxed);
                beast::error_code ignored;
                socket.close(ignored);
            } else {
                std::make_shared<Session>(std::move(socket), *this)->run();
            }
        }
        accept();
    });
}

void WebhookServer::Impl::stop()
{
    asio::post(io_, [this] {
        beast::error_code ignored;
        acceptor_.close(ignored);
    });
    io_.stop();
    for (auto &thread : threads_) {
        thread.join();
    }
    threads_.clear();
}

WebhookServer::WebhookServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookServer::~WebhookServer()
{
    stop();
}

std::expected<std::unique_ptr<WebhookServer>, std::string>
WebhookServer::create(WebhookSettings settings, AuditQueue &queue, ParseFailureCounts &failures)
{
    auto impl = std::make_unique<Impl>(std::move(settings), queue, failures);
    if (auto loaded = impl->load_tls(); !loaded) {
        return std::unexpected(loaded.error());
    }
    return std::unique_ptr<WebhookServer>(new WebhookServer(std::move(impl)));
}

std::expected<void, std::string> WebhookServer::start()
{
    return impl_->start();
}

void WebhookServer::stop()
{
    if (impl_) {
        impl_->stop();
    }
}

uint16_t WebhookServer::port() const
{
    return impl_->port_;
}

const WebhookStatistics &WebhookServer::statistics() const
{
    return impl_->statistics_;
}

} // namespace vigil::audit
