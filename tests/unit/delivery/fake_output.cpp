// SPDX-License-Identifier: Apache-2.0
#include "tests/unit/delivery/fake_output.hpp"

#include <cerrno>
#include <cstdio>
#include <sstream>
#include <thread>

namespace vigil::testing {

const vigil_plugin_hooks *FakeOutput::hooks()
{
    static const vigil_plugin_hooks table{
        sizeof(vigil_plugin_hooks), nullptr, nullptr, nullptr, nullptr, nullptr, &FakeOutput::format, &FakeOutput::send,
    };
    return &table;
}

void FakeOutput::script(std::vector<vigil_send_status> statuses, uint64_t retry_after_ms)
{
    std::lock_guard lock(mutex_);
    script_.assign(statuses.begin(), statuses.end());
    retry_after_ms_ = retry_after_ms;
}

void FakeOutput::always(vigil_send_status status)
{
    std::lock_guard lock(mutex_);
    always_ = status;
}

void FakeOutput::fail_format_for(std::string rule)
{
    std::lock_guard lock(mutex_);
    failing_rule_ = std::move(rule);
}

void FakeOutput::take_at_most(uint32_t count)
{
    std::lock_guard lock(mutex_);
    take_at_most_ = count;
}

void FakeOutput::hold_sends()
{
    std::lock_guard lock(mutex_);
    holding_ = true;
}

void FakeOutput::release_sends()
{
    {
        std::lock_guard lock(mutex_);
        holding_ = false;
    }
    changed_.notify_all();
}

std::vector<FakeOutput::Delivered> FakeOutput::delivered() const
{
    std::lock_guard lock(mutex_);
    return delivered_;
}

std::vector<std::string> FakeOutput::delivered_rules() const
{
    std::vector<std::string> rules;
    for (const auto &alert : delivered()) {
        rules.push_back(alert.rule);
    }
    return rules;
}

std::size_t FakeOutput::sends() const
{
    std::lock_guard lock(mutex_);
    return sends_;
}

// The request is one "rule repeat_count" line per alert taken.
int FakeOutput::format(void *instance, const vigil_alert *const *alerts, uint32_t count, const vigil_buffer *request)
{
    auto *self = static_cast<FakeOutput *>(instance);
    std::lock_guard lock(self->mutex_);
    if (!self->failing_rule_.empty() && self->failing_rule_ == alerts[0]->rule) {
        return -EINVAL;
    }
    uint32_t taken = std::min(count, self->take_at_most_);
    for (uint32_t index = 0; index < taken; ++index) {
        std::string line = std::string(alerts[index]->rule) + " " + std::to_string(alerts[index]->repeat_count) + "\n";
        if (request->append(request->context, line.data(), line.size()) != 0) {
            return -ENOMEM;
        }
    }
    return static_cast<int>(taken);
}

void FakeOutput::send(void *instance, const void *request, size_t size, vigil_send_result *result)
{
    auto *self = static_cast<FakeOutput *>(instance);
    std::unique_lock lock(self->mutex_);
    ++self->sends_;
    self->changed_.notify_all();
    self->changed_.wait(lock, [self] { return !self->holding_; });

    vigil_send_status status = self->always_;
    if (!self->script_.empty()) {
        status = self->script_.front();
        self->script_.pop_front();
    }
    result->status = status;
    result->retry_after_ms = status == VIGIL_SEND_RETRY ? self->retry_after_ms_ : 0;
    std::snprintf(result->reason, sizeof(result->reason), "scripted status %u", static_cast<unsigned>(status));
    if (status == VIGIL_SEND_OK) {
        std::istringstream lines(std::string(static_cast<const char *>(request), size));
        Delivered alert;
        while (lines >> alert.rule >> alert.repeat_count) {
            self->delivered_.push_back(alert);
        }
    }
    self->changed_.notify_all();
}

std::shared_ptr<const vigil_alert> rendered_alert(std::string rule, uint64_t repeat_count)
{
    alerts::Alert alert;
    alert.time_unix_ns = 1;
    alert.rule = std::move(rule);
    alert.plugin = "test";
    alert.k8s.node = "node-1";
    if (repeat_count > 0) {
        alert.repeat = alerts::Repeat{repeat_count, 1, 2};
    }
    auto rendered = std::make_shared<const alerts::RenderedAlert>(std::move(alert));
    return std::shared_ptr<const vigil_alert>(rendered, rendered->view());
}

bool eventually(const std::function<bool()> &predicate, std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    return true;
}

} // namespace vigil::testing
