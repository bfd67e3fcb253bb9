// SPDX-License-Identifier: Apache-2.0
// The hot path: every record drained from a ring comes through here. It is
// checked, the process table and container resolver are brought up to date,
// the record's process and container are resolved, and it is handed to the
// detectors' dispatch. No I/O, no locks, and no allocation once the tables
// are warm (a plugin's record naming a process the table cannot place reads
// /proc, and such records are rare).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <vigil/bpf/event.h>

#include "core/containers/container_resolver.hpp"
#include "core/dispatch/record_sink.hpp"
#include "core/events/drain_loop.hpp"
#include "core/events/program_source.hpp"
#include "core/processes/process_table.hpp"

namespace vigil::events {

struct RouterStatistics {
    uint64_t records = 0;
    uint64_t malformed = 0;    // too short, or a size that lies
    uint64_t unknown_kind = 0; // a core ring record of a kind this sensor does not know
};

class EventRouter {
public:
    // @programs: where to ask what a process runs when no exec record said it.
    EventRouter(processes::ProcessTable &processes, containers::ContainerResolver &containers, ProgramSource &programs,
                dispatch::RecordSink &sink);

    // What drains the rings: a plugin's record that names a process whose
    // exec is not in the table yet makes the router catch up on the core's
    // ring first (the exec may be waiting there).
    void catch_up_with(RingCatchUp &rings) { rings_ = &rings; }

    // The handler of the core's lifecycle ring.
    RecordHandler &core_records() { return core_handler_; }
    // A handler for the rings of @plugin (the sink's number for it; the router keeps the handler).
    RecordHandler &plugin_records(std::size_t plugin);

    const RouterStatistics &statistics() const { return statistics_; }

private:
    class CoreHandler : public RecordHandler {
    public:
        explicit CoreHandler(EventRouter &router) : router_(router) {}
        void handle_record(const void *data, std::size_t size) override { router_.handle_core(data, size); }

    private:
        EventRouter &router_;
    };
    class PluginHandler : public RecordHandler {
    public:
        PluginHandler(EventRouter &router, std::size_t plugin) : router_(router), plugin_(plugin) {}
        void handle_record(const void *data, std::size_t size) override { router_.handle_plugin(plugin_, data, size); }

    private:
        EventRouter &router_;
        std::size_t plugin_;
    };

    const vigil_event_header *checked_header(const void *data, std::size_t size);
    void handle_core(const void *data, std::size_t size);
    void handle_plugin(std::size_t plugin, const void *data, std::size_t size);
    processes::ProcessEntry &process_of_plugin_record(const vigil_event_header &header);

    processes::ProcessTable &processes_;
    containers::ContainerResolver &containers_;
    ProgramSource &programs_;
    dispatch::RecordSink &sink_;
    RingCatchUp *rings_ = nullptr;
    CoreHandler core_handler_{*this};
    std::vector<std::unique_ptr<PluginHandler>> plugin_handlers_;
    RouterStatistics statistics_;
};

} // namespace vigil::events
