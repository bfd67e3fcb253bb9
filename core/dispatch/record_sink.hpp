// SPDX-License-Identifier: Apache-2.0
// What the dispatch stage takes from the event stage: each record once the
// event router checked it and brought the tables up to date. The Dispatcher
// is the one in the sensor; the router's tests use a recorder.
#pragma once

#include <cstddef>

#include <vigil/bpf/event.h>

#include "core/containers/container_info.hpp"
#include "core/processes/process_table.hpp"

namespace vigil::dispatch {

class RecordSink {
public:
    virtual ~RecordSink() = default;
    // Whether a core record of @kind goes to anyone: the router skips the
    // process lookup when not.
    virtual bool wants_core(uint16_t kind) const = 0;
    // A record of the core's lifecycle ring, after the tables took it in and
    // before an exit or a cgroup removal takes it out of them.
    virtual void core_record(const vigil_event_header &header, const processes::ProcessEntry *process,
                             const containers::ContainerInfo *container) = 0;
    // A record of the rings of @plugin (a number the sink gave out), with its
    // process brought up to date.
    virtual void plugin_record(std::size_t plugin, const vigil_event_header &header,
                               const processes::ProcessEntry &process, const containers::ContainerInfo *container) = 0;
};

} // namespace vigil::dispatch
