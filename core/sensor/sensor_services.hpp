// The sensor's side of the plugin host API: alerts, lookups and metrics.
#pragma once

#include <array>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/alerts/alert_pipeline.hpp"
#include "core/containers/container_resolver.hpp"
#include "core/kubernetes/alert_enricher.hpp"
#include "core/metrics/metrics.hpp"
#include "core/plugins/host_services.hpp"
#include "core/plugins/plugin_descriptor.hpp"
#include "core/processes/process_table.hpp"
#include "core/sensor/alert_context.hpp"
#include "core/sensor/alert_feed.hpp"
#include "core/sensor/event_router.hpp"
#include "core/sensor/host_namespaces.hpp"

namespace vigil::sensor {

// What plugins may ask about the node (vigil_host_info).
struct NodeFacts {
    std::string node_name;
    std::string proc_root;
    std::string cgroup2_root;
    HostNamespaces namespaces;
};

class SensorServices : public plugins::HostServices {
public:
    SensorServices(processes::ProcessTable &processes, containers::ContainerResolver &containers,
                   const EventRouter &router, const AlertContext &context, alerts::AlertPipeline &pipeline,
                   metrics::Registry &metrics, NodeFacts node);

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

    // Raises an alert of the sensor's own (plugin "sensor"), e.g. events lost.
    void emit_sensor_alert(alerts::Alert alert);

    // With an API server: container alerts get their pod's metadata, and wait
    // (off the event path) for a pod not known yet. nullptr: cgroup fields only.
    void enrich_with(kubernetes::AlertEnricher *enricher) { enricher_ = enricher; }
    // Submits the held alerts whose pod became known or whose wait ran out;
    // every held alert when @final. Cheap when none is held: call every pass.
    void release_held_alerts(uint64_t now_boot_ns, bool final = false);

    // The alerts to hand on to detectors that join findings (admitted ones only:
    // a repeat the dedup window holds back is not a new finding).
    AlertFeed &feed() { return feed_; }

private:
    void warn_undeclared(const std::string &plugin, const alerts::Alert &alert);
    void submit(alerts::Alert alert);
    void pass_on(alerts::Alert alert, uint64_t now_boot_ns);

    processes::ProcessTable &processes_;
    containers::ContainerResolver &containers_;
    const EventRouter &router_;
    const AlertContext &context_;
    alerts::AlertPipeline &pipeline_;
    metrics::Registry &metrics_;
    NodeFacts node_;
    vigil_host_info host_info_{}; // points into node_
    std::set<std::pair<std::string, std::string>> declared_;   // (plugin, ATT&CK id)
    std::set<std::pair<std::string, std::string>> warned_;
    std::array<const processes::ProcessEntry *, AlertContext::max_ancestry> ancestry_scratch_{};
    kubernetes::AlertEnricher *enricher_ = nullptr;
    std::vector<alerts::Alert> released_; // reused by release_held_alerts
    AlertFeed feed_;
};

} // namespace vigil::sensor
