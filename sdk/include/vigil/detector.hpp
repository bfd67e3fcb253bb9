// SPDX-License-Identifier: Apache-2.0
// The base class of a C++ detector, and the noexcept C thunks that connect it
// to the ABI: an exception never crosses into the sensor, it becomes an error
// code and a log line.
//
//   class MyDetector final : public vigil::Detector {
//   public:
//       MyDetector(vigil::Host host, const vigil::Config &config);
//       void on_event(const vigil::Event &event) override;
//   };
//   static const vigil_plugin_descriptor descriptor = vigil::describe_detector<MyDetector>({...});
//   VIGIL_EXPORT_PLUGIN(descriptor)
#pragma once

#include <cerrno>
#include <exception>

#include <vigil/alert.hpp>
#include <vigil/attack.hpp>
#include <vigil/host.hpp>
#include <vigil/plugin.hpp>

namespace vigil {

class Detector {
public:
    explicit Detector(Host host) : host_(host) {}
    virtual ~Detector() = default;
    Detector(const Detector &) = delete;
    Detector &operator=(const Detector &) = delete;

    // Before the BPF objects load: set their load-time constants.
    virtual void configure_bpf(const BpfSetup & /*setup*/) {}
    // Every record from the plugin's own rings, and the core kinds it subscribed to.
    virtual void on_event(const Event &event) = 0;
    // About once a second, on the event thread.
    virtual void on_tick(uint64_t /*now_ns*/) {}

protected:
    const Host &host() const { return host_; }

private:
    Host host_;
};

namespace detail {

inline int report_exception(const vigil_host_api *api, const char *hook, int error)
{
    try {
        throw;
    } catch (const std::exception &exception) {
        Host(api).logf(VIGIL_LOG_ERROR, "%s failed: %s", hook, exception.what());
    } catch (...) {
        Host(api).logf(VIGIL_LOG_ERROR, "%s failed with an unknown exception", hook);
    }
    return error;
}

template <class D> struct DetectorInstance {
    const vigil_host_api *api;
    D detector;
};

template <class D> struct DetectorThunks {
    using Instance = DetectorInstance<D>;

    static int init(const vigil_host_api *api, const vigil_config_view *config, void **instance) noexcept
    {
        try {
            *instance = new Instance{api, D(Host(api), Config(config))};
            return 0;
        } catch (...) {
            return report_exception(api, "init", -EINVAL);
        }
    }
    static void destroy(void *instance) noexcept { delete static_cast<Instance *>(instance); }
    static int configure_bpf(void *instance, const vigil_bpf_setup *setup) noexcept
    {
        auto *self = static_cast<Instance *>(instance);
        try {
            self->detector.configure_bpf(BpfSetup(setup));
            return 0;
        } catch (...) {
            return report_exception(self->api, "configure_bpf", -EINVAL);
        }
    }
    static int on_event(void *instance, const vigil_event *event) noexcept
    {
        auto *self = static_cast<Instance *>(instance);
        try {
            self->detector.on_event(Event(event));
            return 0;
        } catch (...) {
            return report_exception(self->api, "on_event", -EIO);
        }
    }
    static void on_tick(void *instance, uint64_t now_ns) noexcept
    {
        auto *self = static_cast<Instance *>(instance);
        try {
            self->detector.on_tick(now_ns);
        } catch (...) {
            report_exception(self->api, "on_tick", -EIO);
        }
    }

    static constexpr vigil_plugin_hooks hooks{
        sizeof(vigil_plugin_hooks), init, destroy, configure_bpf, on_event, on_tick, nullptr, nullptr,
    };
};

} // namespace detail

// The descriptor of detector class @D.
template <class D> vigil_plugin_descriptor describe_detector(const PluginInfo &info)
{
    return describe(VIGIL_PLUGIN_DETECTOR, info, &detail::DetectorThunks<D>::hooks);
}

} // namespace vigil
