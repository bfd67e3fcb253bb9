// SPDX-License-Identifier: Apache-2.0
#include "core/audit/audit_sources.hpp"

namespace vigil::audit {

AuditSources::AuditSources(std::size_t queue_size) : queue_(queue_size) {}

AuditSources::~AuditSources()
{
    stop();
}

std::expected<std::unique_ptr<AuditSources>, std::string> AuditSources::prepare(const config::AuditConfig &config)
{
    std::unique_ptr<AuditSources> sources(new AuditSources(config.queue_size));
    if (!config.webhook_listen.empty()) {
        WebhookSettings settings;
        // config::check_audit_section made sure it parses.
        settings.listen = config::parse_listen_address(config.webhook_listen).value_or(config::ListenAddress{});
        settings.path = config.webhook_path;
        settings.cert_file = config.webhook_cert_file;
        settings.key_file = config.webhook_key_file;
        settings.client_ca_file = config.webhook_client_ca_file;
        settings.max_body_bytes = std::size_t{config.webhook_max_body_mib} << 20;
        if (!config.webhook_token_file.empty()) {
            auto token = BearerToken::from_file(config.webhook_token_file);
            if (!token) {
                return std::unexpected("[audit] webhook_token_file " + token.error());
            }
            settings.token = *token;
        }
        auto server = WebhookServer::create(std::move(settings), sources->queue_, sources->failures_);
        if (!server) {
            return std::unexpected(server.error());
        }
        sources->webhook_ = std::move(*server);
        sources->webhook_where_ = config.webhook_listen + config.webhook_path;
    }
    if (!config.log_path.empty()) {
        sources->log_ = std::make_unique<LogSource>(
            config.log_path, config.log_start_at == "beginning" ? StartAt::beginning : StartAt::end, sources->queue_,
            sources->failures_);
        sources->log_path_ = config.log_path;
    }
    return sources;
}

std::expected<void, std::string> AuditSources::start()
{
    if (webhook_) {
        if (auto started = webhook_->start(); !started) {
            return started;
        }
    }
    if (log_) {
        log_->start();
    }
    return {};
}

void AuditSources::stop()
{
    if (webhook_) {
        webhook_->stop();
    }
    if (log_) {
        log_->stop();
    }
}

uint64_t AuditSources::take_new_refusals()
{
    auto refused = queue_.statistics().refused_batches;
    auto fresh = refused - reported_refusals_;
    reported_refusals_ = refused;
    return fresh;
}

std::string AuditSources::summary() const
{
    std::string text;
    if (webhook_) {
        text += "webhook https://" + webhook_where_ + " (port " + std::to_string(webhook_->port()) + ")";
    }
    if (log_) {
        text += (text.empty() ? "" : ", ") + std::string("log file ") + log_path_;
    }
    return text + "; queue of " + std::to_string(queue_.capacity()) + " events";
}

std::string AuditSources::describe() const
{
    auto queue = queue_.statistics();
    std::string text = "queued " + std::to_string(queue.pushed) + " delivered " + std::to_string(queue.taken) +
                       " waiting " + std::to_string(queue.waiting) + " refused (queue full) " +
                       std::to_string(queue.refused_events) + " in " + std::to_string(queue.refused_batches) +
                       " batches; malformed [" + failures_.describe() + "]";
    if (webhook_) {
        const auto &web = webhook_->statistics();
        text += "; webhook requests " + std::to_string(web.requests.load()) + " accepted " +
                std::to_string(web.accepted_batches.load()) + " 401 " + std::to_string(web.unauthenticated.load()) +
                " 400 " + std::to_string(web.malformed_batches.load()) + " 503 " +
                std::to_string(web.refused_queue_full.load()) + " other refusals " +
                std::to_string(web.other_refusals.load()) + " TLS failures " + std::to_string(web.tls_failures.load());
    }
    if (log_) {
        const auto &log = log_->statistics();
        text += "; log lines " + std::to_string(log.lines.load()) + " events " + std::to_string(log.events.load()) +
                " rotations " + std::to_string(log.rotations.load()) + " truncations " +
                std::to_string(log.truncations.load());
    }
    return text;
}

} // namespace vigil::audit
