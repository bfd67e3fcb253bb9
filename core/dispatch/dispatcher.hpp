// SPDX-License-Identifier: Apache-2.0
// The detectors' dispatch: hands each record the event router checked to the
// detectors that want it (a plugin's own rings to that plugin, core kinds to
// their subscribers), and the user-space events (audit events, raised alerts)
// to theirs. It remembers what is being dispatched, so that an alert raised
// from inside on_event finds its context without trusting pointers the plugin
// hands back. Event thread only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>

#include "core/dispatch/record_sink.hpp"
#include "core/plugins/running_plugin.hpp"

namespace vigil::dispatch {

// The event being dispatched right now.
struct Dispatch {
    const vigil_event *event = nullptr;
    const processes::ProcessEntry *process = nullptr;
    const containers::ContainerInfo *container = nullptr;
};

class Dispatcher : public RecordSink {
public:
    // Takes @plugin's core-kind subscriptions. Returns its number, for the
    // event router's handler of its own rings.
    std::size_t add_detector(plugins::RunningPlugin &plugin);
    bool has_subscribers(uint16_t kind) const { return kind < subscribers_.size() && !subscribers_[kind].empty(); }

    bool wants_core(uint16_t kind) const override { return has_subscribers(kind); }
    void core_record(const vigil_event_header &header, const processes::ProcessEntry *process,
                     const containers::ContainerInfo *container) override;
    void plugin_record(std::size_t plugin, const vigil_event_header &header, const processes::ProcessEntry &process,
                       const containers::ContainerInfo *container) override;

    // Hands one audit event to the detectors that subscribed to VIGIL_KIND_AUDIT_EVENT.
    // It has no process or container: it comes from the API server, not this node's kernel.
    void deliver_audit(const vigil_audit_event &audit, uint64_t now_boot_ns);
    // Hands an alert @raiser raised to the detectors that subscribed to
    // VIGIL_KIND_ALERT_RAISED, but never back to @raiser (the instance name).
    void deliver_raised_alert(const vigil_raised_alert &alert, const std::string &raiser, uint64_t now_boot_ns);

    const Dispatch &current() const { return current_; }

private:
    void deliver(plugins::RunningPlugin &plugin, const vigil_event_header &header,
                 const processes::ProcessEntry *process, const containers::ContainerInfo *container);
    // Hands a user-space event (no process, no container) to @kind's subscribers but @skip.
    void deliver_without_process(vigil_event &event, uint64_t now_boot_ns, const std::string *skip);

    std::vector<plugins::RunningPlugin *> detectors_; // by number
    std::array<std::vector<plugins::RunningPlugin *>, VIGIL_KIND_LIMIT> subscribers_{};
    Dispatch current_;
};

} // namespace vigil::dispatch
