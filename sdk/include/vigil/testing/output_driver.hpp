// SPDX-License-Identifier: Apache-2.0
// Drives an output's hooks the way the sensor's delivery thread does
// (core/delivery/output_worker.cpp): format writes one request for the first
// alerts of a batch into a buffer the host owns and says how many it took;
// send delivers that request and reports delivered, retry or reject. Here both
// run on the test's thread, one at a time, and nothing is retried or queued:
// the test sees each outcome and decides what comes next (a retry is sending
// the same request again, as the sensor would).
//
//   vigil::testing::FakeHost host(MY_OUTPUT_PATH);
//   host.set_option("format", "json");
//   REQUIRE(host.start() == 0);
//   vigil::testing::SampleAlert sample;            // vigil/testing/sample_alert.hpp
//   auto alert = sample.view();
//   auto delivery = host.format_and_send({&alert});
//   CHECK(delivery.taken == 1);
//   CHECK(delivery.result.status == VIGIL_SEND_OK);
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <vigil/abi_support.hpp>
#include <vigil/plugin_abi.h>
#include <vigil/testing/fake_services.hpp>
#include <vigil/testing/plugin_under_test.hpp>

namespace vigil::testing {

// What format made of a batch.
struct FormattedRequest {
    int taken = 0;       // format's return: how many alerts the request holds, or a negative errno
    std::string request; // the bytes it appended
};

// One pass of the delivery thread over a batch: format, then send.
struct OutputDelivery {
    int taken = 0;              // as FormattedRequest::taken
    std::string request;        // what was sent
    bool sent = false;          // false when format failed: the sensor drops the batch's first alert instead
    vigil_send_result result{}; // send's outcome, when sent
};

// The host's request buffer (struct vigil_buffer): appends as the sensor's
// does, refusing NULL data and a request beyond the sensor's 64 MiB bound.
class FakeRequestBuffer {
public:
    static constexpr std::size_t max_request_bytes = 64 * 1024 * 1024;

    FakeRequestBuffer()
    {
        abi_.struct_size = sizeof(abi_);
        abi_.context = this;
        abi_.append = [](void *context, const void *data, std::size_t size) {
            auto &bytes = static_cast<FakeRequestBuffer *>(context)->bytes_;
            if (size == 0) {
                return 0;
            }
            if (data == nullptr) {
                return -EINVAL;
            }
            if (size > max_request_bytes - bytes.size()) {
                return -E2BIG;
            }
            bytes.append(static_cast<const char *>(data), size);
            return 0;
        };
    }
    // abi() points at this object.
    FakeRequestBuffer(const FakeRequestBuffer &) = delete;
    FakeRequestBuffer &operator=(const FakeRequestBuffer &) = delete;

    const vigil_buffer *abi() const { return &abi_; }
    std::string take() { return std::move(bytes_); }

private:
    std::string bytes_;
    vigil_buffer abi_{};
};

class OutputDriver {
public:
    // @instance is the plugin's instance once init made it, nullptr until then.
    OutputDriver(const PluginUnderTest &plugin, void *const &instance, FakeServices &services)
        : plugin_(plugin), instance_(instance), services_(services)
    {
    }

    // Calls format with @alerts. A count above the batch's is noted as a
    // problem and read as the whole batch, as the sensor reads it.
    FormattedRequest format(std::span<const vigil_alert *const> alerts)
    {
        require_output();
        if (alerts.empty()) {
            throw std::invalid_argument("the sensor never formats an empty batch");
        }
        FakeRequestBuffer buffer;
        FormattedRequest formatted;
        formatted.taken =
            plugin_.hooks().format(instance_, alerts.data(), static_cast<uint32_t>(alerts.size()), buffer.abi());
        if (formatted.taken > static_cast<int>(alerts.size())) {
            services_.note_problem("format took " + std::to_string(formatted.taken) + " alerts of " +
                                   std::to_string(alerts.size()));
            formatted.taken = static_cast<int>(alerts.size());
        }
        formatted.request = buffer.take();
        return formatted;
    }
    FormattedRequest format(std::initializer_list<const vigil_alert *> alerts)
    {
        return format(std::span<const vigil_alert *const>(alerts.begin(), alerts.size()));
    }

    // Calls send with @request. The reason comes back NUL-terminated, as the
    // sensor terminates it; a status the ABI does not know is noted as a
    // problem (the sensor treats it as a rejection).
    vigil_send_result send(std::string_view request)
    {
        require_output();
        vigil_send_result result{};
        result.struct_size = sizeof(result);
        plugin_.hooks().send(instance_, request.data(), request.size(), &result);
        result.reason[sizeof(result.reason) - 1] = '\0';
        if (result.status != VIGIL_SEND_OK && result.status != VIGIL_SEND_RETRY && result.status != VIGIL_SEND_REJECT) {
            services_.note_problem("send returned the unknown status " + std::to_string(result.status));
        }
        return result;
    }

    // Formats @alerts and, when format succeeds, sends the request: one pass
    // of the delivery thread.
    OutputDelivery format_and_send(std::span<const vigil_alert *const> alerts)
    {
        auto formatted = format(alerts);
        OutputDelivery delivery;
        delivery.taken = formatted.taken;
        delivery.request = std::move(formatted.request);
        if (delivery.taken > 0) {
            delivery.result = send(delivery.request);
            delivery.sent = true;
        }
        return delivery;
    }
    OutputDelivery format_and_send(std::initializer_list<const vigil_alert *> alerts)
    {
        return format_and_send(std::span<const vigil_alert *const>(alerts.begin(), alerts.size()));
    }

private:
    // The sensor refuses an output without both hooks before starting it.
    void require_output() const
    {
        if (instance_ == nullptr) {
            throw std::logic_error("the plugin is not started (FakeHost::start)");
        }
        if (plugin_.hooks().format == nullptr || plugin_.hooks().send == nullptr) {
            throw std::logic_error("the plugin has no format or send hook");
        }
    }

    const PluginUnderTest &plugin_;
    void *const &instance_;
    FakeServices &services_;
};

} // namespace vigil::testing
