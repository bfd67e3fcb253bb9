// SPDX-License-Identifier: Apache-2.0
// An output plugin written in the test itself: a hooks table like a real
// plugin's, whose send outcomes the test scripts, and which records what it
// delivered so the test can check order and duplicates.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/alerts/alert.hpp"
#include "core/alerts/rendered_alert.hpp"

namespace vigil::testing {

class FakeOutput {
public:
    struct Delivered {
        std::string rule;
        uint64_t repeat_count = 0;
    };

    static const vigil_plugin_hooks *hooks();
    void *instance() { return this; }

    // The outcomes of the next sends, in order; once used up, sends succeed.
    void script(std::vector<vigil_send_status> statuses, uint64_t retry_after_ms = 0);
    // Every send returns @status from now on.
    void always(vigil_send_status status);
    // format fails when the first alert offered has @rule.
    void fail_format_for(std::string rule);
    // format takes at most @count alerts per request.
    void take_at_most(uint32_t count);
    // send blocks until release_sends().
    void hold_sends();
    void release_sends();

    std::vector<Delivered> delivered() const;
    std::vector<std::string> delivered_rules() const;
    std::size_t sends() const;

private:
    static int format(void *instance, const vigil_alert *const *alerts, uint32_t count, const vigil_buffer *request);
    static void send(void *instance, const void *request, size_t size, vigil_send_result *result);

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<vigil_send_status> script_;
    vigil_send_status always_ = VIGIL_SEND_OK;
    uint64_t retry_after_ms_ = 0;
    std::string failing_rule_;
    uint32_t take_at_most_ = UINT32_MAX;
    bool holding_ = false;
    std::size_t sends_ = 0;
    std::vector<Delivered> delivered_;
};

// A minimal rendered alert for delivery tests.
std::shared_ptr<const vigil_alert> rendered_alert(std::string rule, uint64_t repeat_count = 0);

// Polls @predicate until it holds or @timeout passes.
bool eventually(const std::function<bool()> &predicate, std::chrono::milliseconds timeout = std::chrono::seconds{5});

} // namespace vigil::testing
