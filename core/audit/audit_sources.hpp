// SPDX-License-Identifier: Apache-2.0
// Everything that brings audit events into the sensor, as the sensor sees it:
// the queue, the webhook and the log-file source, built from [audit]. The
// event thread only takes from the queue and reads counters; all I/O happens
// on the sources' own threads.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "core/audit/audit_queue.hpp"
#include "core/audit/log_source.hpp"
#include "core/audit/parse_failure.hpp"
#include "core/audit/webhook_server.hpp"
#include "core/config/config.hpp"

namespace vigil::audit {

class AuditSources {
public:
    // Reads the token and TLS files: an error here is a configuration error
    // naming the key. Nothing listens or reads the log until start().
    static std::expected<std::unique_ptr<AuditSources>, std::string> prepare(const config::AuditConfig &config);
    ~AuditSources();
    AuditSources(const AuditSources &) = delete;
    AuditSources &operator=(const AuditSources &) = delete;

    bool enabled() const { return webhook_ != nullptr || log_ != nullptr; }
    std::expected<void, std::string> start();
    void stop();

    // On the event thread: up to @limit events, oldest first; true when more wait.
    bool take(std::vector<AuditEvent> &out, std::size_t limit) { return queue_.take(out, limit); }

    // Batches refused because the queue was full, since the last call (for the tick's report).
    uint64_t take_new_refusals();
    // One line for the statistics log.
    std::string describe() const;
    // What start() said it does, for the log.
    std::string summary() const;

private:
    explicit AuditSources(std::size_t queue_size);

    AuditQueue queue_;
    ParseFailureCounts failures_;
    std::unique_ptr<WebhookServer> webhook_;
    std::unique_ptr<LogSource> log_;
    std::string webhook_where_;
    std::string log_path_;
    uint64_t reported_refusals_ = 0;
};

} // namespace vigil::audit
