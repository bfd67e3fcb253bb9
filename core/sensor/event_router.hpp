// The hot path: every record drained from a ring comes through here. It is
// checked, the process table and container resolver are brought up to date,
// the record's context is resolved, and it is handed to the detectors that
// want it. No I/O, no locks, and no allocation once the tables are warm.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>

#include "core/containers/container_resolver.hpp"
#include "core/events/drain_loop.hpp"
#include "core/processes/process_table.hpp"
#include "core/sensor/running_plugin.hpp"

namespace vigil::sensor {

// The record being dispatched, so an alert raised from inside on_event can
// find its context without trusting pointers the plugin hands back.
struct Dispatch {
    const vigil_event *event = nullptr;
    const processes::ProcessEntry *process = nullptr;
    const containers::ContainerInfo *container = nullptr;
};

struct RouterStatistics {
    uint64_t records = 0;
    uint64_t malformed = 0;     // too short, or a size that lies
    uint64_t unknown_kind = 0;  // a core ring record of a kind this sensor does not know
};

class EventRouter {
public:
    // @proc_root: where the host's /proc is, to fill in a process a plugin's
    // record names before the core's record of its exec was drained.
    EventRouter(processes::ProcessTable &processes, containers::ContainerResolver &containers,
                std::string proc_root = "/proc");

    // The loop that drains the rings: a plugin's record that names a process
    // whose exec is not in the table yet makes the router catch up on the
    // core's ring first (the exec may be waiting there).
    void drain_with(events::DrainLoop &drain) { drain_ = &drain; }

    // Delivers the core kinds @plugin subscribed to.
    void subscribe(RunningPlugin &plugin);

    // The handler of the core's lifecycle ring.
    events::RecordHandler &core_records() { return core_handler_; }
    // A handler for one of @plugin's own rings (the router keeps it).
    events::RecordHandler &plugin_records(RunningPlugin &plugin);

    // Hands one audit event to the detectors that subscribed to VIGIL_KIND_AUDIT_EVENT.
    // It has no process or container: it comes from the API server, not this node's kernel.
    void deliver_audit(const vigil_audit_event &audit, uint64_t now_boot_ns);
    // Hands an alert @raiser raised to the detectors that subscribed to
    // VIGIL_KIND_ALERT_RAISED, but never back to @raiser (the instance name).
    void deliver_raised_alert(const vigil_raised_alert &alert, const std::string &raiser, uint64_t now_boot_ns);
    bool has_subscribers(uint16_t kind) const { return kind < subscribers_.size() && !subscribers_[kind].empty(); }

    const Dispatch &current() const { return current_; }
    const RouterStatistics &statistics() const { return statistics_; }

private:
    class CoreHandler : public events::RecordHandler {
    public:
        explicit CoreHandler(EventRouter &router) : router_(router) {}
        void handle_record(const void *data, std::size_t size) override { router_.handle_core(data, size); }

    private:
        EventRouter &router_;
    };
    class PluginHandler : public events::RecordHandler {
    public:
        PluginHandler(EventRouter &router, RunningPlugin &plugin) : router_(router), plugin_(plugin) {}
        void handle_record(const void *data, std::size_t size) override
        {
            router_.handle_plugin(plugin_, data, size);
        }

    private:
        EventRouter &router_;
        RunningPlugin &plugin_;
    };

    const vigil_event_header *checked_header(const void *data, std::size_t size);
    void handle_core(const void *data, std::size_t size);
    void handle_plugin(RunningPlugin &plugin, const void *data, std::size_t size);
    void deliver(RunningPlugin &plugin, const vigil_event_header &header, const processes::ProcessEntry *process);
    // Hands a user-space event (no process, no container) to @kind's subscribers but @skip.
    void deliver_without_process(vigil_event &event, uint64_t now_boot_ns, const std::string *skip);
    processes::ProcessEntry &process_of_plugin_record(const vigil_event_header &header);

    processes::ProcessTable &processes_;
    std::string proc_root_;
    containers::ContainerResolver &containers_;
    events::DrainLoop *drain_ = nullptr;
    CoreHandler core_handler_{*this};
    std::vector<std::unique_ptr<PluginHandler>> plugin_handlers_;
    std::array<std::vector<RunningPlugin *>, VIGIL_KIND_LIMIT> subscribers_{};
    Dispatch current_;
    RouterStatistics statistics_;
};

} // namespace vigil::sensor
