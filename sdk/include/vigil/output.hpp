// SPDX-License-Identifier: Apache-2.0
// The base class of a C++ output. An output only formats and sends; the
// sensor owns queueing, batching, retry and backoff.
//
//   class MyOutput final : public vigil::Output {
//   public:
//       MyOutput(vigil::Host host, const vigil::Config &config);
//       std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override;
//       vigil::SendResult send(std::string_view request) override;
//   };
//   static const vigil_plugin_descriptor descriptor = vigil::describe_output<MyOutput>({...});
//   VIGIL_EXPORT_PLUGIN(descriptor)
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>

#include <vigil/abi_support.hpp>
#include <vigil/detector.hpp>

namespace vigil {

// What makes @alert the same finding as another (ABI 1.3), or "" from an older host.
inline std::string_view finding_key(const vigil_alert &alert)
{
    if (!VIGIL_HAS_FIELD(&alert, vigil_alert, finding_key) || alert.finding_key == nullptr) {
        return {};
    }
    return alert.finding_key;
}

// Whether @alert's subject is in a container. The host passes NULL for none
// here, "" elsewhere (plugin_abi.h, "No container"): either reads as none.
inline bool in_container(const vigil_alert &alert)
{
    return in_container(alert.container_id);
}

// @alert's container id; "" for none.
inline std::string_view container_id(const vigil_alert &alert)
{
    return in_container(alert.container_id) ? std::string_view(alert.container_id) : std::string_view();
}

// The host-owned buffer a request is formatted into.
class Request {
public:
    explicit Request(const vigil_buffer *buffer) : buffer_(buffer) {}
    void append(std::string_view bytes) const
    {
        if (buffer_->append(buffer_->context, bytes.data(), bytes.size()) != 0) {
            throw std::bad_alloc();
        }
    }

private:
    const vigil_buffer *buffer_;
};

// The outcome of one send.
struct SendResult {
    vigil_send_status status = VIGIL_SEND_OK;
    uint64_t retry_after_ms = 0;
    std::string_view reason{};

    static SendResult ok() { return {}; }
    static SendResult retry(std::string_view reason, uint64_t after_ms = 0)
    {
        return {VIGIL_SEND_RETRY, after_ms, reason};
    }
    static SendResult reject(std::string_view reason) { return {VIGIL_SEND_REJECT, 0, reason}; }
};

class Output {
public:
    explicit Output(Host host) : host_(host) {}
    virtual ~Output() = default;
    Output(const Output &) = delete;
    Output &operator=(const Output &) = delete;

    // Writes one request for the first alerts; returns how many it took (at least one).
    virtual std::size_t format(std::span<const vigil_alert *const> alerts, Request &request) = 0;
    virtual SendResult send(std::string_view request) = 0;

protected:
    const Host &host() const { return host_; }

private:
    Host host_;
};

namespace detail {

template <class O> struct OutputInstance {
    const vigil_host_api *api;
    O output;
};

template <class O> struct OutputThunks {
    using Instance = OutputInstance<O>;

    static int init(const vigil_host_api *api, const vigil_config_view *config, void **instance) noexcept
    {
        try {
            *instance = new Instance{api, O(Host(api), Config(config))};
            return 0;
        } catch (...) {
            return report_exception(api, "init", -EINVAL);
        }
    }
    static void destroy(void *instance) noexcept { delete static_cast<Instance *>(instance); }
    static int format(void *instance, const vigil_alert *const *alerts, uint32_t count,
                      const vigil_buffer *buffer) noexcept
    {
        auto *self = static_cast<Instance *>(instance);
        try {
            Request request(buffer);
            auto taken = self->output.format(std::span<const vigil_alert *const>(alerts, count), request);
            return static_cast<int>(std::clamp<std::size_t>(taken, 1, count));
        } catch (...) {
            return report_exception(self->api, "format", -EINVAL);
        }
    }
    static void send(void *instance, const void *request, std::size_t size, vigil_send_result *result) noexcept
    {
        auto *self = static_cast<Instance *>(instance);
        try {
            fill(result, self->output.send(std::string_view(static_cast<const char *>(request), size)));
        } catch (const std::exception &exception) {
            fill(result, SendResult::retry(exception.what())); // filled while what() is still alive
        } catch (...) {
            fill(result, SendResult::retry("unknown exception"));
        }
    }
    static void fill(vigil_send_result *result, const SendResult &outcome)
    {
        result->status = outcome.status;
        result->retry_after_ms = outcome.retry_after_ms;
        auto length = std::min(outcome.reason.size(), sizeof(result->reason) - 1);
        if (length > 0) { // an empty string_view may hold a null pointer, which memcpy must not see
            std::memcpy(result->reason, outcome.reason.data(), length);
        }
        result->reason[length] = '\0';
    }

    static constexpr vigil_plugin_hooks hooks{
        sizeof(vigil_plugin_hooks), init, destroy, nullptr, nullptr, nullptr, format, send,
    };
};

} // namespace detail

template <class O> vigil_plugin_descriptor describe_output(const PluginInfo &info)
{
    return describe(VIGIL_PLUGIN_OUTPUT, info, &detail::OutputThunks<O>::hooks);
}

} // namespace vigil
