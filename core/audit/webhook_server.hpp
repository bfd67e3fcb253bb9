// SPDX-License-Identifier: Apache-2.0
// The API server's audit webhook backend posts batches here: HTTPS only, on
// threads of its own (never the event thread), authenticated by a bearer
// token or a client certificate. A batch is answered 200 only once it is in
// the queue to the detectors; when the queue is full, 503 makes the API server
// retry it later, so nothing is lost while the sensor catches up.
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>

#include "core/audit/audit_queue.hpp"
#include "core/audit/bearer_token.hpp"
#include "core/audit/parse_failure.hpp"
#include "core/config/audit_settings.hpp"

namespace vigil::audit {

struct WebhookSettings {
    config::ListenAddress listen;
    std::string path = "/audit";
    std::string cert_file;
    std::string key_file;
    std::optional<BearerToken> token; // accepted when set
    std::string client_ca_file;       // client certificates accepted when set
    std::size_t max_body_bytes = 32u << 20;
    unsigned threads = 2;             // a slow batch's parsing does not hold up the other connections
    std::size_t max_connections = 64; // beyond it, new connections are closed at once
};

struct WebhookStatistics {
    std::atomic<uint64_t> requests{0};
    std::atomic<uint64_t> accepted_batches{0};
    std::atomic<uint64_t> accepted_events{0};
    std::atomic<uint64_t> unauthenticated{0};     // 401
    std::atomic<uint64_t> malformed_batches{0};   // 400
    std::atomic<uint64_t> refused_queue_full{0};  // 503
    std::atomic<uint64_t> other_refusals{0};      // 404, 405, 413, 415
    std::atomic<uint64_t> tls_failures{0};        // handshakes that failed
    std::atomic<uint64_t> connections_refused{0}; // past max_connections
};

class WebhookServer {
public:
    // Loads the certificate, key and CA: a file that cannot be used is an error naming it.
    static std::expected<std::unique_ptr<WebhookServer>, std::string>
    create(WebhookSettings settings, AuditQueue &queue, ParseFailureCounts &failures);
    ~WebhookServer();
    WebhookServer(const WebhookServer &) = delete;
    WebhookServer &operator=(const WebhookServer &) = delete;

    // Binds and listens, then serves on its own threads until stop().
    std::expected<void, std::string> start();
    void stop();

    // The port bound (the configured one, or the one the kernel chose for port 0).
    uint16_t port() const;
    const WebhookStatistics &statistics() const;

    class Impl;

private:
    explicit WebhookServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace vigil::audit
