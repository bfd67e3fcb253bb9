// SPDX-License-Identifier: Apache-2.0
// The sensor's side of the plugin host API: what a detector may ask while it
// handles an event (processes, containers, the node, metrics) and where its
// alerts go (the alert stage's intake, with the context of the event being
// dispatched).
#pragma once

#include <array>
#include <set>
#include <string>
#include <utility>

#include "core/alerts/alert_context.hpp"
#include "core/alerts/alert_intake.hpp"
#include "core/containers/container_resolver.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/plugins/host_services.hpp"
#include "core/plugins/plugin_descriptor.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/processes/process_table.hpp"

namespace vigil::dispatch {

// What plugins may ask about the node (vigil_host_info).
struct NodeFacts {
    std::string node_name;
    std::string proc_root;
    std::string cgroup2_root;
    probes::HostNamespaces namespaces;
    uint64_t started_ns = 0;     // CLOCK_BOOTTIME when the sensor started
    std::string state_directory; // [sensor] state_directory: "" for none
};

class PluginServices : public plugins::HostServices {
public:
    PluginServices(processes::ProcessTable &processes, containers::ContainerResolver &containers,
                   const Dispatcher &dispatcher, alerts::AlertIntake &intake, metrics::Registry &metrics,
                   NodeFacts node);

    // What each plugin declared it can raise, to catch alerts outside it.
    void declare(const plugins::PluginDescriptor &descriptor);

    int emit_alert(const std::string &plugin, const vigil_alert_request &request) override;
    const vigil_process *find_process(uint32_t tgid) override;
    uint32_t process_ancestry(uint32_t tgid, const vigil_process **ancestors, uint32_t capacity) override;
    const vigil_container *find_container(uint64_t cgroup_id) override;
    const vigil_process *find_process_in_namespace(uint32_t pid_ns, uint32_t ns_tgid) override;
    const vigil_host_info *host_info() override { return &host_info_; }
    uint32_t metric_register(const std::string &name, const std::string &help) override;
    void metric_add(uint32_t metric, uint64_t delta) override;
    std::string state_directory(const std::string &plugin) override;
    uint64_t records_lost() override { return records_lost_; }

    // The ring buffers' lost records, all rings together, as the sensor last counted them.
    void set_records_lost(uint64_t total) { records_lost_ = total; }

private:
    void warn_undeclared(const std::string &plugin, const alerts::Alert &alert);

    processes::ProcessTable &processes_;
    containers::ContainerResolver &containers_;
    const Dispatcher &dispatcher_;
    alerts::AlertIntake &intake_;
    metrics::Registry &metrics_;
    NodeFacts node_;
    vigil_host_info host_info_{};                            // points into node_
    std::set<std::pair<std::string, std::string>> declared_; // (plugin, ATT&CK id)
    std::set<std::pair<std::string, std::string>> warned_;
    uint64_t records_lost_ = 0;
    std::array<const processes::ProcessEntry *, alerts::AlertContext::max_ancestry> ancestry_scratch_{};
};

} // namespace vigil::dispatch
