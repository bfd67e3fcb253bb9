// SPDX-License-Identifier: Apache-2.0
// Filling an alert with what the sensor knows and the plugin does not: the
// process with its ancestry, the container, the pod and the node.
#pragma once

#include <cstdint>
#include <string>

#include <vigil/bpf/event.h>

#include "core/alerts/alert.hpp"
#include "core/containers/container_resolver.hpp"
#include "core/processes/process_table.hpp"

namespace vigil::alerts {

struct AlertSubject {
    const vigil_event_header *header = nullptr;           // the triggering record, if any
    const processes::ProcessEntry *process = nullptr;     // the acting process, if known
    const containers::ContainerInfo *container = nullptr; // nullptr for host processes
};

class AlertContext {
public:
    AlertContext(const processes::ProcessTable &processes, std::string node_name);

    // Sets time, process (with ancestry), container and Kubernetes fields of @alert.
    void fill(alerts::Alert &alert, const AlertSubject &subject) const;

    static constexpr std::size_t max_ancestry = 16;

private:
    const processes::ProcessTable &processes_;
    std::string node_name_;
};

} // namespace vigil::alerts
