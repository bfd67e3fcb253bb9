// SPDX-License-Identifier: Apache-2.0
// The running sensor: the wiring of the stages (see core/README.md). It starts
// everything in order (sensor_start.cpp), runs the drain loop until asked to
// stop (sensor.cpp), reports health and statistics (sensor_report.cpp), and
// shuts down in the reverse order (sensor_stop.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/alerts/alert_context.hpp"
#include "core/alerts/alert_intake.hpp"
#include "core/alerts/alert_pipeline.hpp"
#include "core/alerts/pod_enricher.hpp"
#include "core/alerts/raised_alert_view.hpp"
#include "core/audit/audit_event_view.hpp"
#include "core/audit/audit_sources.hpp"
#include "core/config/config.hpp"
#include "core/containers/cgroup_directory.hpp"
#include "core/containers/container_resolver.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/dispatch/plugin_services.hpp"
#include "core/events/drain_loop.hpp"
#include "core/events/event_router.hpp"
#include "core/events/program_source.hpp"
#include "core/kubernetes/api_settings.hpp"
#include "core/kubernetes/container_pods.hpp"
#include "core/kubernetes/pod_cache.hpp"
#include "core/kubernetes/pod_watcher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/plugins/plugin_library.hpp"
#include "core/plugins/plugin_plan.hpp"
#include "core/plugins/running_plugin.hpp"
#include "core/probes/every_syscall_cost.hpp"
#include "core/probes/hook_dispatch.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/processes/process_table.hpp"

namespace vigil::sensor {

class Sensor {
public:
    static constexpr uint64_t second_ns = 1'000'000'000ULL;

    // @plugin_directory and @node_name already resolved from the config's defaults.
    Sensor(config::Config config, std::string plugin_directory, std::string node_name);
    ~Sensor();
    Sensor(const Sensor &) = delete;
    Sensor &operator=(const Sensor &) = delete;

    // Loads and starts everything. Returns 0; 2 for a configuration error found
    // while matching plugins (nothing started); 1 when the sensor cannot watch
    // anything (no permission to load BPF programs, core probes refused).
    int start();
    // Drains until @stop becomes true.
    void run(const std::atomic<bool> &stop);
    // Drains what is left, delivers queued alerts (bounded wait), tears down in order.
    void shut_down();

private:
    // Start-up (sensor_start.cpp).
    bool resolve_kubernetes();
    void start_kubernetes();
    void start_containers();
    void start_processes();
    bool load_core_probes();
    void load_hook_dispatch();
    void start_detectors(plugins::PluginPlan &plan);
    void report_hooks() const;
    void measure_every_syscall_programs();
    bool open_spool();
    void start_outputs(plugins::PluginPlan &plan);
    void report_unconfigured_spooled_outputs();
    bool start_audit_sources();

    // The loop (sensor.cpp).
    bool drain_audit_events();
    void deliver_raised_alerts();
    void tick(uint64_t now_ns);

    // Health and statistics (sensor_report.cpp).
    void report_lost_events();
    void report_refused_audit_events();
    void report_unfed_alerts();
    void log_statistics(bool final) const;
    // One clause per output; adds what each still holds to @pending unless null.
    std::string describe_outputs(uint64_t *pending) const;

    config::Config config_;
    std::string plugin_directory_;
    std::string node_name_;
    probes::HostNamespaces host_namespaces_;
    metrics::Registry metrics_;
    std::unique_ptr<containers::CgroupDirectory> cgroups_;
    std::unique_ptr<containers::ContainerResolver> containers_;
    std::unique_ptr<processes::ProcessTable> processes_;
    std::unique_ptr<alerts::AlertContext> alert_context_;
    // Before the pipeline, so that it outlives the output workers that read it.
    std::unique_ptr<delivery::Spool> spool_;
    std::unique_ptr<alerts::AlertPipeline> pipeline_;
    std::unique_ptr<alerts::AlertIntake> intake_;
    std::unique_ptr<dispatch::Dispatcher> dispatcher_;
    std::unique_ptr<dispatch::PluginServices> services_;
    std::unique_ptr<events::ProcPrograms> programs_;
    std::unique_ptr<events::EventRouter> router_;
    // Pod metadata from the API server, when one is configured (see kubernetes/).
    std::optional<kubernetes::ApiSettings> kubernetes_api_;
    std::unique_ptr<kubernetes::PodCache> pods_;
    std::unique_ptr<kubernetes::PodWatcher> pod_watcher_;
    std::unique_ptr<alerts::PodEnricher> pod_enricher_;
    // The pod fields of the container views plugins see, kept in step with pods_.
    std::unique_ptr<kubernetes::ContainerPods> container_pods_;
    plugins::PluginDirectory plugin_libraries_;
    // What fallbacks on every syscall cost, measured for a while after start.
    probes::EverySyscallCost every_syscall_cost_;
    // Before the detectors, so that it outlives their stages in its chains.
    std::unique_ptr<probes::HookDispatch> hook_dispatch_;
    std::vector<std::unique_ptr<plugins::RunningPlugin>> detectors_;
    std::vector<std::unique_ptr<plugins::RunningPlugin>> outputs_;
    std::unique_ptr<probes::LoadedObject> core_probes_;
    std::unique_ptr<events::DrainLoop> drain_;
    // Kubernetes audit events ([audit]); null when both sources are off.
    std::unique_ptr<audit::AuditSources> audit_;
    audit::AuditEventView audit_view_;
    std::vector<audit::AuditEvent> audit_batch_; // reused by each drain pass
    // Alerts handed on to joining detectors (VIGIL_KIND_ALERT_RAISED), reused each pass.
    alerts::RaisedAlertView raised_view_;
    std::vector<alerts::Alert> raised_batch_;
    uint64_t reported_unfed_ = 0;          // alerts the feed had no room for, already reported
    std::vector<uint64_t> reported_drops_; // per ring, what was already raised as lost
    uint64_t last_tick_ns_ = 0;
    uint64_t last_statistics_ns_ = 0;
    uint64_t started_ns_ = 0;
};

} // namespace vigil::sensor
