// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/alert_pipeline.hpp"

#include <algorithm>
#include <span>

#include <spdlog/spdlog.h>

#include "core/alerts/rendered_alert.hpp"
#include "core/delivery/spool.hpp"
#include "core/delivery/spooled_alert.hpp"

namespace vigil::alerts {

AlertPipeline::AlertPipeline(uint64_t dedup_window_ns, std::size_t dedup_max_keys)
    : dedup_(dedup_window_ns, dedup_max_keys)
{
}

AlertPipeline::~AlertPipeline()
{
    stop(std::chrono::milliseconds{0});
}

void AlertPipeline::add_output(std::unique_ptr<delivery::OutputWorker> output, Route route)
{
    outputs_.push_back(OutputRoute{std::move(output), std::move(route)});
}

bool AlertPipeline::submit(Alert alert, uint64_t now_boot_ns)
{
    submitted_.fetch_add(1, std::memory_order_relaxed);
    if (stopped_) {
        return false;
    }
    bool admitted = dedup_.admit(alert, now_boot_ns);
    suppressed_.store(dedup_.suppressed_total(), std::memory_order_relaxed);
    if (admitted) {
        dispatch(std::move(alert));
    }
    // Admitting may have closed a window early (its key came back after the
    // window, or the table was full): send that summary now rather than at the
    // next tick, which also keeps the deduplicator's pending list short.
    dispatch_all(dedup_.take_expired(now_boot_ns));
    return admitted;
}

void AlertPipeline::tick(uint64_t now_boot_ns)
{
    if (!stopped_) {
        dispatch_all(dedup_.take_expired(now_boot_ns));
    }
    flush_spool();
}

void AlertPipeline::stop(std::chrono::milliseconds drain_deadline)
{
    if (stopped_) {
        return;
    }
    dispatch_all(dedup_.take_all());
    flush_spool();
    stopped_ = true;
    // One deadline for all: outputs not yet told to stop keep delivering
    // meanwhile, so stopping them one after another still ends by it.
    constexpr std::chrono::milliseconds longest_drain{24 * 60 * 60 * 1000};
    auto deadline =
        std::chrono::steady_clock::now() + std::clamp(drain_deadline, std::chrono::milliseconds{0}, longest_drain);
    for (auto &output : outputs_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        output.worker->stop(std::max(left, std::chrono::milliseconds{0}));
    }
}

void AlertPipeline::dispatch(Alert alert)
{
    sent_.fetch_add(1, std::memory_order_relaxed);
    // Rendered at most once, and only if some output wants it.
    std::shared_ptr<const RenderedAlert> rendered;
    spooled_.clear();
    for (auto &output : outputs_) {
        // Once rendered, the alert lives in the RenderedAlert.
        const Alert &subject = rendered ? rendered->alert() : alert;
        if (!output.accepts(subject)) {
            continue;
        }
        if (!rendered) {
            rendered = std::make_shared<const RenderedAlert>(std::move(alert));
        }
        if (output.worker->spool() != nullptr) {
            spooled_.push_back(output.worker.get());
            continue;
        }
        // A full queue is counted and logged by the worker; the other outputs still get the alert.
        // Aliasing: the worker holds the ABI view, which keeps the whole rendered alert alive.
        output.worker->enqueue(std::shared_ptr<const vigil_alert>(rendered, rendered->view()));
    }
    if (!spooled_.empty()) {
        add_to_spool_batch(*rendered);
    }
}

void AlertPipeline::add_to_spool_batch(const RenderedAlert &rendered)
{
    // Encoded once however many outputs take it. Entries are reused from one
    // flush to the next, so once warm this allocates nothing new.
    if (spool_batch_size_ == spool_batch_.size()) {
        spool_batch_.emplace_back();
    }
    auto &entry = spool_batch_[spool_batch_size_++];
    entry.bytes = delivery::encode_spooled_alert(*rendered.view());
    entry.rule = rendered.alert().rule;
    entry.first_worker = spool_batch_workers_.size();
    entry.worker_count = spooled_.size();
    spool_batch_workers_.insert(spool_batch_workers_.end(), spooled_.begin(), spooled_.end());
    if (spool_batch_size_ >= max_spool_batch) {
        flush_spool();
    }
}

void AlertPipeline::flush_spool()
{
    if (spool_batch_size_ == 0) {
        return;
    }
    const std::span batch(spool_batch_.data(), spool_batch_size_);
    appends_.clear();
    for (const auto &entry : batch) {
        for (std::size_t index = 0; index < entry.worker_count; ++index) {
            appends_.push_back(
                delivery::SpoolAppend{spool_batch_workers_[entry.first_worker + index]->name(), entry.bytes});
        }
    }
    // Every spooled output shares the sensor's one spool. Stored in one
    // transaction (one write), and only then made known to the outputs:
    // whatever they are told about is already on disk.
    auto stored = spool_batch_workers_.front()->spool()->append_batch(appends_);
    if (!stored) {
        for (auto *worker : spool_batch_workers_) {
            worker->note_spool_failed();
        }
        spool_failures_.fetch_add(batch.size(), std::memory_order_relaxed);
        if (auto suppressed = spool_error_log_.allow()) {
            spdlog::error("{} alerts (the first: {}) are lost for the outputs that read from the spool, which "
                          "could not store them: {}{}",
                          batch.size(), batch.front().rule, stored.error(),
                          *suppressed > 0 ? " (" + std::to_string(*suppressed) + " similar messages suppressed)" : "");
        }
    } else {
        // Element i of the result is appends_[i]'s, in the workers' order.
        for (std::size_t index = 0; index < appends_.size(); ++index) {
            // A refused one (a bound was reached) is counted and logged by the spool.
            if (auto id = (*stored)[index]) {
                spool_batch_workers_[index]->notify_spooled(*id);
            }
        }
    }
    spool_batch_size_ = 0;
    spool_batch_workers_.clear();
}

void AlertPipeline::dispatch_all(std::vector<Alert> alerts)
{
    for (auto &alert : alerts) {
        dispatch(std::move(alert));
    }
}

AlertPipeline::Statistics AlertPipeline::statistics() const
{
    constexpr auto relaxed = std::memory_order_relaxed;
    return Statistics{submitted_.load(relaxed), sent_.load(relaxed), suppressed_.load(relaxed),
                      spool_failures_.load(relaxed)};
}

std::vector<std::pair<std::string, delivery::OutputStatistics>> AlertPipeline::output_statistics() const
{
    std::vector<std::pair<std::string, delivery::OutputStatistics>> statistics;
    statistics.reserve(outputs_.size());
    for (const auto &output : outputs_) {
        statistics.emplace_back(output.worker->name(), output.worker->statistics());
    }
    return statistics;
}

} // namespace vigil::alerts
