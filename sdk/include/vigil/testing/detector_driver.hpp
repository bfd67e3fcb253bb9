// SPDX-License-Identifier: Apache-2.0
// Drives a detector's hooks the way the sensor's event thread does:
// configure_bpf before its objects would load (recording the constants it
// sets, since nothing is loaded here), on_event for each event the test
// feeds, on_tick with the time the test gives. All on the test's own thread,
// one at a time, as the ABI promises a detector.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/testing/event_feed.hpp>
#include <vigil/testing/fake_audit_event.hpp>
#include <vigil/testing/fake_raised_alert.hpp>
#include <vigil/testing/fake_services.hpp>
#include <vigil/testing/plugin_under_test.hpp>

namespace vigil::testing {

class DetectorDriver {
public:
    // @instance is the plugin's instance once init made it, nullptr until then.
    DetectorDriver(const PluginUnderTest &plugin, void *const &instance, FakeServices &services)
        : plugin_(plugin), instance_(instance), services_(services), feed_(services)
    {
        bpf_setup_.struct_size = sizeof(bpf_setup_);
        bpf_setup_.context = this;
        bpf_setup_.set_constant = [](void *context, const char *object, const char *variable, const void *value,
                                     size_t size) {
            return static_cast<DetectorDriver *>(context)->set_constant(object, variable, value, size);
        };
        bpf_setup_.skip_program = [](void *context, const char *object, const char *program, const char *reason) {
            return static_cast<DetectorDriver *>(context)->skip_program(object, program, reason);
        };
    }

    // bpf_setup_ points at this object.
    DetectorDriver(const DetectorDriver &) = delete;
    DetectorDriver &operator=(const DetectorDriver &) = delete;

    // Calls configure_bpf, recording the constants it sets; returns its status (0 if the plugin has none).
    int configure_bpf()
    {
        require_started();
        if (plugin_.hooks().configure_bpf == nullptr) {
            return 0;
        }
        return plugin_.hooks().configure_bpf(instance_, &bpf_setup_);
    }
    // "<object>.<program>" -> the reason configure_bpf gave for leaving it out.
    const std::map<std::string, std::string> &skipped_programs() const { return skipped_; }
    // "<object>.<variable>" -> the bytes set.
    const std::map<std::string, std::vector<unsigned char>> &constants() const { return constants_; }
    template <class T> std::optional<T> constant(const std::string &object, const std::string &variable) const
    {
        static_assert(std::is_trivially_copyable_v<T>);
        auto found = constants_.find(object + "." + variable);
        if (found == constants_.end() || found->second.size() != sizeof(T)) {
            return std::nullopt;
        }
        T value{};
        std::memcpy(&value, found->second.data(), sizeof(T));
        return value;
    }

    // Builds the records and events this driver delivers.
    const EventFeed &feed() const { return feed_; }

    // Hands raw record bytes (header first) to on_event; returns its status.
    int deliver_bytes(std::span<const unsigned char> bytes)
    {
        require_started();
        return feed_.record(bytes, [this](const vigil_event &event) { return on_event(event); });
    }
    // Hands a record struct (header first) to on_event; returns its status.
    template <class Record> int deliver(const Record &record)
    {
        static_assert(std::is_trivially_copyable_v<Record>, "a record is plain bytes, as the kernel side sends it");
        return deliver_bytes(std::span(reinterpret_cast<const unsigned char *>(&record), sizeof(Record)));
    }
    // A record of @kind from @tgid: a filled header followed by @payload.
    int deliver_payload(uint16_t kind, uint32_t tgid, std::span<const unsigned char> payload, uint16_t version = 1)
    {
        return deliver_bytes(feed_.payload_record(kind, tgid, payload, version));
    }
    // A Kubernetes audit event (ABI 1.4); see EventFeed::audit.
    int deliver_audit(const vigil_audit_event &audit)
    {
        require_started();
        return feed_.audit(audit, [this](const vigil_event &event) { return on_event(event); });
    }
    int deliver_audit(const FakeAuditEvent &audit) { return deliver_audit(audit.view()); }
    // Another detector's alert (ABI 1.5); see EventFeed::raised_alert.
    int deliver_alert(const vigil_raised_alert &alert)
    {
        require_started();
        return feed_.raised_alert(alert, [this](const vigil_event &event) { return on_event(event); });
    }
    int deliver_alert(const FakeRaisedAlert &alert) { return deliver_alert(alert.view()); }

    // Sets the clock to @now_ns and calls on_tick, if the plugin has one.
    void tick(uint64_t now_ns)
    {
        require_started();
        services_.set_now(now_ns);
        if (plugin_.hooks().on_tick != nullptr) {
            plugin_.hooks().on_tick(instance_, now_ns);
        }
    }

private:
    void require_started() const
    {
        if (instance_ == nullptr) {
            throw std::logic_error("the plugin is not started (FakeHost::start)");
        }
    }

    int on_event(const vigil_event &event)
    {
        if (plugin_.hooks().on_event == nullptr) {
            throw std::logic_error("the plugin has no on_event hook");
        }
        // Alerts raised meanwhile may name this event; after it returns, the pointer is stale.
        services_.set_current_event(&event);
        struct Clear {
            FakeServices &services;
            ~Clear() { services.set_current_event(nullptr); }
        } clear{services_};
        return plugin_.hooks().on_event(instance_, &event);
    }

    bool known_object(const char *object) const
    {
        for (const auto *candidate : plugin_.bpf_objects()) {
            if (object != nullptr && candidate->name != nullptr && std::strcmp(candidate->name, object) == 0) {
                return true;
            }
        }
        return false;
    }

    int skip_program(const char *object, const char *program, const char *reason)
    {
        if (!known_object(object) || program == nullptr) {
            services_.note_problem(std::string("skip_program on ") + (object ? object : "?") + ": no such object");
            return -ENOENT;
        }
        skipped_[std::string(object) + "." + program] = reason != nullptr ? reason : "";
        return 0;
    }

    int set_constant(const char *object, const char *variable, const void *value, size_t size)
    {
        bool known = false;
        for (const auto *candidate : plugin_.bpf_objects()) {
            known =
                known || (object != nullptr && candidate->name != nullptr && std::strcmp(candidate->name, object) == 0);
        }
        if (!known || variable == nullptr || value == nullptr || size == 0) {
            services_.note_problem(std::string("set_constant on ") + (object ? object : "?") + "." +
                                   (variable ? variable : "?") + ": no such object, or no value");
            return -ENOENT;
        }
        const auto *bytes = static_cast<const unsigned char *>(value);
        constants_[std::string(object) + "." + variable] = std::vector<unsigned char>(bytes, bytes + size);
        return 0;
    }

    const PluginUnderTest &plugin_;
    void *const &instance_;
    FakeServices &services_;
    EventFeed feed_;
    vigil_bpf_setup bpf_setup_{};
    std::map<std::string, std::vector<unsigned char>> constants_;
    std::map<std::string, std::string> skipped_;
};

} // namespace vigil::testing
