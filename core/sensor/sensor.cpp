#include "core/sensor/sensor.hpp"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <expected>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include "core/probes/attach_type.hpp"
#include "core/probes/bpf_permission.hpp"
#include "core/probes/load_time_constants.hpp"
#include "core/probes/tracefs.hpp"
#include "core/processes/proc_reader.hpp"
#include "core/sensor/output_routes.hpp"
#include "core/sensor/probe_specs.hpp"
#include "core/util/boot_clock.hpp"

namespace vigil::sensor {
namespace {

constexpr uint64_t second_ns = 1'000'000'000ULL;
// How long an exited process stays in the table for records still in other rings.
constexpr uint64_t exited_process_grace_ns = 30 * second_ns;

// A constant a plugin asked for in configure_bpf, applied each time its object is opened.
struct ConstantRequest {
    std::string object;
    std::string variable;
    std::vector<unsigned char> value;
};

int collect_constant(void *context, const char *object, const char *variable, const void *value, std::size_t size)
{
    if (object == nullptr || variable == nullptr || value == nullptr || size == 0 || size > 4096) {
        return -EINVAL;
    }
    auto &requests = *static_cast<std::vector<ConstantRequest> *>(context);
    const auto *bytes = static_cast<const unsigned char *>(value);
    requests.push_back({object, variable, std::vector<unsigned char>(bytes, bytes + size)});
    return 0;
}

// Creates the missing directories of @path's parent, owner-only (alerts name
// processes and pods). Directories that exist are left as they are.
std::expected<void, std::string> make_private_parent_directories(const std::string &path)
{
    auto slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return {};
    }
    auto directory = path.substr(0, slash);
    for (auto next = directory.find('/', 1);; next = directory.find('/', next + 1)) {
        auto part = directory.substr(0, next);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
            return std::unexpected(part + ": cannot create the spool's directory: " + std::strerror(errno));
        }
        if (next == std::string::npos) {
            return {};
        }
    }
}

std::string output_line(const std::string &name, const delivery::OutputStatistics &output)
{
    return name + " " + std::to_string(output.delivered) + " delivered " + std::to_string(output.rejected) +
           " rejected " + std::to_string(output.retried_sends) + " retried " +
           std::to_string(output.dropped_queue_full + output.dropped_spool_full + output.dropped_spool_error +
                          output.dropped_at_stop) +
           " dropped (" + std::to_string(output.dropped_spool_full) + " spool full) " + std::to_string(output.pending) +
           " pending";
}

void report_programs(const probes::LoadedObject &object)
{
    std::map<std::string, int> attached_by_type;
    for (const auto &program : object.programs()) {
        auto where = object.owner() + "/" + object.name() + ": " + program.name + " (" + program.section + ")";
        switch (program.state) {
        case probes::ProgramState::attached:
            ++attached_by_type[std::string(probes::attach_type_name(program.attach_type))];
            spdlog::debug("{} attached", where);
            break;
        case probes::ProgramState::standby:
        case probes::ProgramState::loaded:
            spdlog::debug("{} standby: {}", where, program.reason);
            break;
        case probes::ProgramState::disabled:
            spdlog::info("{} {}", where, program.reason);
            break;
        case probes::ProgramState::load_failed:
        case probes::ProgramState::attach_failed:
            spdlog::warn("{} {}: {}", where, probes::program_state_text(program.state), program.reason);
            break;
        }
    }
    std::string summary;
    for (const auto &[type, count] : attached_by_type) {
        summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + type;
    }
    spdlog::info("{}/{}: {} programs attached ({})", object.owner(), object.name(), object.attached_count(),
                 summary.empty() ? "none" : summary);
    if (object.missing_required()) {
        spdlog::error("{}/{}: some required programs have no working alternative; the detections that need them "
                      "are off (see the warnings above)",
                      object.owner(), object.name());
    }
}

} // namespace

Sensor::Sensor(config::Config config, std::string plugin_directory, std::string node_name)
    : config_(std::move(config)), plugin_directory_(std::move(plugin_directory)), node_name_(std::move(node_name))
{
}

Sensor::~Sensor() { shut_down(); }

int Sensor::start()
{
    started_ns_ = boot_time_now_ns();

    // Plugins are read and their options checked before anything touches the kernel.
    plugin_libraries_ = plugins::load_plugin_directory(plugin_directory_);
    for (const auto &refusal : plugin_libraries_.refused) {
        spdlog::error("plugin {} {}", refusal.file, refusal.reason);
    }
    for (const auto &plugin : plugin_libraries_.plugins) {
        spdlog::debug("plugin {} {} ({}) from {}", plugin->descriptor().name, plugin->descriptor().version,
                      plugins::plugin_kind_name(plugin->descriptor().kind), plugin->path());
    }
    auto plan = plan_plugins(config_, plugin_libraries_);
    if (!plan) {
        for (const auto &error : plan.error()) {
            spdlog::error("{}", error.to_string());
        }
        return 2;
    }
    for (const auto &note : plan->notes) {
        spdlog::info("{}", note);
    }
    if (!resolve_kubernetes()) {
        return 2;
    }
    // The audit sources' files (token, certificate, key) are read now: one that
    // cannot be used is a configuration error, found before anything starts.
    auto audit_sources = audit::AuditSources::prepare(config_.audit);
    if (!audit_sources) {
        spdlog::error("{}: {}", config_.path, audit_sources.error());
        return 2;
    }
    if ((*audit_sources)->enabled()) {
        audit_ = std::move(*audit_sources);
    }

    if (auto problem = probes::bpf_permission_problem()) {
        spdlog::error("{}", *problem);
        return 1;
    }
    auto tracefs = probes::ensure_tracefs(config_.sensor.mount_tracefs);
    if (tracefs.available) {
        spdlog::log(tracefs.mounted_now ? spdlog::level::info : spdlog::level::debug, "tracefs {}", tracefs.detail);
    } else {
        spdlog::warn("tracefs {}: tp/ programs fall back to tp_btf/ or raw_tp/ where plugins offer it",
                     tracefs.detail);
    }
    if (!open_spool()) {
        return 1;
    }
    host_namespaces_ = discover_host_namespaces(config_.sensor.host_proc);
    if (host_namespaces_.source != config_.sensor.host_proc + "/1") {
        spdlog::warn("cannot read the host's namespaces from {}/1; using the sensor's own ({}) as the host's",
                     config_.sensor.host_proc, host_namespaces_.source);
    }

    start_containers();
    start_processes();
    router_ = std::make_unique<EventRouter>(*processes_, *containers_, config_.sensor.host_proc);
    alert_context_ = std::make_unique<AlertContext>(*processes_, node_name_);
    pipeline_ = std::make_unique<alerts::AlertPipeline>(uint64_t{config_.alerts.dedup_window_s} * second_ns,
                                                        config_.alerts.dedup_max_keys);
    services_ = std::make_unique<SensorServices>(
        *processes_, *containers_, *router_, *alert_context_, *pipeline_, metrics_,
        NodeFacts{node_name_, config_.sensor.host_proc, cgroups_->mount_point(), host_namespaces_});
    start_kubernetes();
    drain_ = std::make_unique<events::DrainLoop>();
    router_->drain_with(*drain_);

    if (!load_core_probes()) {
        return 1;
    }
    start_outputs(*plan);
    report_unconfigured_spooled_outputs();
    start_detectors(*plan);
    services_->feed().set_wanted(router_->has_subscribers(VIGIL_KIND_ALERT_RAISED));

    if (!start_audit_sources()) {
        return 1;
    }
    if (detectors_.empty()) {
        spdlog::warn("no detector is running: the sensor will raise nothing but its own health alerts");
    }
    if (outputs_.empty()) {
        spdlog::warn("no output is running: alerts will be counted and dropped");
    }
    last_tick_ns_ = last_statistics_ns_ = boot_time_now_ns();
    spdlog::info("sensor ready: {} detectors, {} outputs, {} ring buffers, node {}", detectors_.size(),
                 outputs_.size(), drain_->ring_count(), node_name_);
    return 0;
}

// Before anything starts: a kubeconfig that cannot be used is a configuration error (exit 2).
bool Sensor::resolve_kubernetes()
{
    const auto &settings = config_.kubernetes;
    auto api = kubernetes::resolve_api_settings(settings, kubernetes::process_environment);
    if (!api) {
        spdlog::error("{}: [kubernetes] {}", config_.path, api.error());
        return false;
    }
    kubernetes_api_ = std::move(*api);
    if (!kubernetes_api_) {
        spdlog::info("kubernetes: no API server ([kubernetes] api_server = \"{}\"{}): container alerts carry only "
                     "what the cgroup path gives (container id, runtime, pod UID) and k8s.source = \"cgroup\"",
                     settings.api_server, settings.api_server == "auto" ? ", not in a cluster" : "");
    }
    return true;
}

void Sensor::start_kubernetes()
{
    if (!kubernetes_api_) {
        return;
    }
    const auto &settings = config_.kubernetes;
    constexpr uint64_t deleted_pod_grace_ns = 60 * second_ns;
    // Enough for every alert of a burst from new containers; beyond it they go out unresolved at once.
    constexpr std::size_t max_held_alerts = 1024;
    pods_ = std::make_unique<kubernetes::PodCache>(settings.pod_cache_max, deleted_pod_grace_ns);
    alert_enricher_ = std::make_unique<kubernetes::AlertEnricher>(
        *pods_, uint64_t{settings.unresolved_wait_ms} * 1'000'000ULL, max_held_alerts);
    services_->enrich_with(alert_enricher_.get());
    spdlog::info("kubernetes: pod metadata from {} ({}); alerts from a container whose pod is not known yet wait "
                 "up to {} ms",
                 kubernetes_api_->server, kubernetes_api_->origin, settings.unresolved_wait_ms);
    pod_watcher_ = std::make_unique<kubernetes::PodWatcher>(*kubernetes_api_, node_name_, settings.labels, *pods_);
    pod_watcher_->start();
}

void Sensor::start_containers()
{
    auto mount = containers::find_cgroup2_mount();
    if (!mount) {
        spdlog::warn("no cgroup v2 hierarchy is mounted: containers cannot be told apart from the host");
    }
    cgroups_ = std::make_unique<containers::CgroupDirectory>(mount.value_or(""),
                                                             std::size_t{config_.sensor.container_cache_size} * 4);
    auto found = mount ? cgroups_->scan() : 0;
    containers_ = std::make_unique<containers::ContainerResolver>(*cgroups_, config_.sensor.container_cache_size);
    spdlog::debug("cgroup v2 hierarchy at {}: {} cgroups", mount.value_or("(none)"), found);
    if (auto failure = cgroups_->lookup_failure(); failure && mount) {
        spdlog::warn("cgroups cannot be looked up by id ({}): containers created before the sensor started and "
                     "missed by its scan will show as host processes",
                     std::strerror(*failure));
    }
}

void Sensor::start_processes()
{
    processes_ = std::make_unique<processes::ProcessTable>(config_.sensor.process_table_size, exited_process_grace_ns);
    // The hierarchy start_containers() found: a /proc/<pid>/cgroup path below it names a cgroup by its inode.
    const auto &mount = cgroups_->mount_point();
    auto seeded = processes::seed_from_proc(*processes_, config_.sensor.host_proc, [&](std::string_view path) {
        struct stat status {};
        if (mount.empty() || stat((mount + std::string(path)).c_str(), &status) != 0) {
            return uint64_t{0};
        }
        return static_cast<uint64_t>(status.st_ino);
    });
    spdlog::debug("process table seeded with {} processes from {}", seeded, config_.sensor.host_proc);
}

bool Sensor::load_core_probes()
{
    auto spec = core_lifecycle_spec();
    probes::LoadSettings settings;
    settings.disabled_types = disabled_attach_types(config_.sensor);
    auto loaded = probes::load_object(spec, settings, [&](bpf_object *object) {
        set_common_constants(object, spec, host_namespaces_, 0);
    });
    if (!loaded) {
        // Without its lifecycle probes the sensor cannot follow a single process: refuse to run blind.
        spdlog::error("core probes did not load, so the sensor cannot run: {}", loaded.error());
        return false;
    }
    report_programs(**loaded);
    core_probes_ = std::move(*loaded);
    for (const auto &ring : core_probes_->ring_buffers()) {
        std::string error;
        if (!drain_->add_ring("core", ring, router_->core_records(), error)) {
            spdlog::error("core ring {}: {}", ring.name, error);
            return false;
        }
    }
    return true;
}

bool Sensor::load_detector_objects(RunningPlugin &plugin)
{
    const auto &descriptor = plugin.descriptor();
    std::vector<ConstantRequest> requests;
    if (plugin.hooks().configure_bpf != nullptr) {
        vigil_bpf_setup setup{sizeof(vigil_bpf_setup), &requests, collect_constant};
        if (int status = plugin.hooks().configure_bpf(plugin.instance(), &setup); status != 0) {
            spdlog::error("{}: refused: configure_bpf failed ({})", plugin.library().path(), status);
            return false;
        }
    }
    probes::LoadSettings settings;
    settings.disabled_types = disabled_attach_types(config_.sensor);
    settings.ring_buffer_bytes = config_.sensor.ring_buffer_kib * 1024;

    for (const auto &object : descriptor.bpf_objects) {
        auto spec = plugin_object_spec(descriptor.name, object);
        bool reported = false;
        auto configure = [&](bpf_object *opened) {
            set_common_constants(opened, spec, host_namespaces_, settings.ring_buffer_bytes);
            for (const auto &request : requests) {
                if (request.object != object.name) {
                    continue;
                }
                auto status = probes::set_load_time_constant(opened, request.variable, request.value.data(),
                                                             request.value.size());
                if (status != probes::ConstantStatus::set && !reported) {
                    spdlog::error("{}: constant {} of object {}: {}", descriptor.name, request.variable, object.name,
                                  probes::constant_status_text(status));
                }
            }
            reported = true;
        };
        auto loaded = probes::load_object(spec, settings, configure);
        if (!loaded) {
            spdlog::error("{}: BPF object {}: {}", descriptor.name, object.name, loaded.error());
            continue;
        }
        report_programs(**loaded);
        plugin.objects().push_back(std::move(*loaded));
    }
    if (!descriptor.bpf_objects.empty() && plugin.objects().empty()) {
        spdlog::error("{}: refused: none of its BPF objects loaded", plugin.library().path());
        return false;
    }
    return true;
}

void Sensor::start_detectors(PluginPlan &plan)
{
    for (auto &planned : plan.detectors) {
        auto host_api = std::make_unique<plugins::PluginHostApi>(planned.instance_name, *services_);
        auto plugin = std::make_unique<RunningPlugin>(*planned.library, planned.instance_name, std::move(host_api),
                                                      std::move(planned.options));
        if (!plugin->initialise() || !load_detector_objects(*plugin)) {
            continue;
        }
        services_->declare(plugin->descriptor());
        router_->subscribe(*plugin);
        for (auto &object : plugin->objects()) {
            for (const auto &ring : object->ring_buffers()) {
                std::string error;
                if (!drain_->add_ring(plugin->instance_name(), ring, router_->plugin_records(*plugin), error)) {
                    spdlog::error("{}: ring {}: {}", plugin->instance_name(), ring.name, error);
                }
            }
        }
        spdlog::info("detector {} {} running", plugin->descriptor().name, plugin->descriptor().version);
        detectors_.push_back(std::move(plugin));
    }
}

// A spool that cannot be opened stops the start (exit 1) instead of being
// moved aside or replaced: the file holds alerts not yet delivered, which are
// evidence; "in use" (another sensor) and "cannot create" must not be worked
// around at all; and a sensor that refuses to start is seen at once (its
// DaemonSet pod crash-loops with this message), where one that quietly started
// empty would hide both the loss and whatever damaged the file.
bool Sensor::open_spool()
{
    const auto &alerts = config_.alerts;
    if (alerts.spool_path.empty()) {
        spdlog::warn("no spool ([alerts] spool_path is empty): alerts wait for delivery in memory only and are "
                     "lost if the sensor stops or crashes before the outputs took them");
        return true;
    }
    if (auto made = make_private_parent_directories(alerts.spool_path); !made) {
        spdlog::error("{}", made.error());
        return false;
    }
    delivery::SpoolLimits limits;
    limits.max_total_bytes = uint64_t{alerts.spool_max_mib} * 1024 * 1024;
    // One output may take all of it: with one output down, the others drain theirs.
    limits.max_bytes_per_output = limits.max_total_bytes;
    limits.max_entries_per_output = alerts.spool_max_entries_per_output;
    auto spool = delivery::Spool::open(alerts.spool_path, limits);
    if (!spool) {
        spdlog::error("cannot open the alert spool, so the sensor does not start: {}. To start anyway: move the "
                      "file aside (mv {} {}.damaged; the alerts in it are then not delivered), or set [alerts] "
                      "spool_path to another file, or to \"\" for no spool",
                      spool.error(), alerts.spool_path, alerts.spool_path);
        return false;
    }
    spool_ = std::make_unique<delivery::Spool>(std::move(*spool));
    uint64_t waiting = 0;
    for (const auto &output : spool_->outputs()) {
        waiting += output.pending.entries;
    }
    spdlog::info("alert spool {}: {} alerts waiting from before; bound {} MiB, {} alerts per output",
                 alerts.spool_path, waiting, alerts.spool_max_mib, alerts.spool_max_entries_per_output);
    return true;
}

void Sensor::report_unconfigured_spooled_outputs()
{
    if (!spool_) {
        return;
    }
    std::set<std::string, std::less<>> running;
    for (const auto &output : outputs_) {
        running.insert(output->instance_name());
    }
    std::set<std::string, std::less<>> configured;
    for (const auto &output : config_.outputs) {
        configured.insert(output.name);
    }
    for (const auto &[name, pending] : spool_->outputs()) {
        if (running.contains(name)) {
            continue;
        }
        if (configured.contains(name)) {
            spdlog::warn("spool {}: {} alerts wait for output {}, which is not running; they are kept until it runs "
                         "again",
                         spool_->path(), pending.entries, name);
        } else if (config_.alerts.spool_discard_unconfigured) {
            auto discarded = spool_->discard(name);
            spdlog::warn("spool {}: discarded {} alerts that waited for output {}, which is no longer configured "
                         "([alerts] spool_discard_unconfigured = true)",
                         spool_->path(), discarded ? *discarded : 0, name);
            if (!discarded) {
                spdlog::error("{}", discarded.error());
            }
        } else {
            spdlog::warn("spool {}: {} alerts wait for output {}, which is no longer configured; they are kept. "
                         "Configure [outputs.{}] again to deliver them, or set [alerts] spool_discard_unconfigured "
                         "= true to discard them",
                         spool_->path(), pending.entries, name, name);
        }
    }
}

void Sensor::start_outputs(PluginPlan &plan)
{
    for (auto &planned : plan.outputs) {
        auto host_api = std::make_unique<plugins::PluginHostApi>(planned.instance_name, *services_);
        auto plugin = std::make_unique<RunningPlugin>(*planned.library, planned.instance_name, std::move(host_api),
                                                      std::move(planned.options));
        if (!plugin->initialise()) {
            continue;
        }
        auto route = route_with_overrides(plugin->descriptor().default_route, planned.route);
        auto routed = route.describe();
        auto worker = spool_ ? std::make_unique<delivery::OutputWorker>(plugin->instance_name(),
                                                                        &plugin->descriptor().hooks,
                                                                        plugin->instance(), *spool_)
                             : std::make_unique<delivery::OutputWorker>(plugin->instance_name(),
                                                                        &plugin->descriptor().hooks,
                                                                        plugin->instance(),
                                                                        config_.alerts.output_queue_size);
        pipeline_->add_output(std::move(worker), std::move(route));
        spdlog::info("output {} ({} {}) running: {}", plugin->instance_name(), plugin->descriptor().name,
                     plugin->descriptor().version, routed);
        outputs_.push_back(std::move(plugin));
    }
}

bool Sensor::start_audit_sources()
{
    if (!audit_) {
        return true;
    }
    if (!router_->has_subscribers(VIGIL_KIND_AUDIT_EVENT)) {
        spdlog::warn("[audit] sources are configured but no running detector subscribes to audit events: they are "
                     "received, counted and dropped");
    }
    if (auto started = audit_->start(); !started) {
        spdlog::error("{}", started.error());
        return false;
    }
    spdlog::info("audit events from {}", audit_->summary());
    return true;
}

// One pass's share of the audit queue, on the event thread. Bounded like a
// ring's budget, so that a flood of audit events cannot starve the rings.
bool Sensor::drain_audit_events()
{
    if (!audit_) {
        return false;
    }
    constexpr std::size_t budget = 4096;
    bool more = audit_->take(audit_batch_, budget);
    auto now = boot_time_now_ns();
    for (const auto &event : audit_batch_) {
        router_->deliver_audit(audit_view_.view_of(event), now);
    }
    audit_batch_.clear();
    return more;
}

// The alerts the pass raised (and held ones released), handed to the
// detectors that join findings. Alerts they raise in answer go to the outputs
// but are not handed on again, so one round per pass is all there is.
void Sensor::deliver_raised_alerts()
{
    auto &feed = services_->feed();
    if (feed.empty()) {
        return;
    }
    feed.take(raised_batch_);
    auto now = boot_time_now_ns();
    for (const auto &alert : raised_batch_) {
        router_->deliver_raised_alert(raised_view_.view_of(alert), alert.plugin, now);
    }
    raised_batch_.clear();
}

void Sensor::run(const std::atomic<bool> &stop)
{
    auto interval_ms = static_cast<int>(config_.sensor.drain_interval_ms);
    while (!stop.load(std::memory_order_relaxed)) {
        bool saturated = false;
        drain_->drain_once(saturated);
        if (drain_audit_events()) {
            saturated = true;
        }
        auto now = boot_time_now_ns();
        services_->release_held_alerts(now);
        deliver_raised_alerts();
        if (now - last_tick_ns_ >= second_ns) {
            tick(now);
        }
        // What the pass raised for spooled outputs: one transaction for all of it.
        pipeline_->flush_spool();
        if (!saturated) {
            drain_->wait(interval_ms);
        }
    }
}

void Sensor::tick(uint64_t now_ns)
{
    last_tick_ns_ = now_ns;
    for (auto &plugin : detectors_) {
        if (plugin->hooks().on_tick != nullptr) {
            plugin->hooks().on_tick(plugin->instance(), now_ns);
        }
    }
    pipeline_->tick(now_ns);
    processes_->expire(now_ns);
    report_lost_events();
    report_refused_audit_events();
    report_unfed_alerts();
    auto interval = uint64_t{config_.sensor.stats_interval_s} * second_ns;
    if (interval != 0 && now_ns - last_statistics_ns_ >= interval) {
        last_statistics_ns_ = now_ns;
        log_statistics(false);
    }
}

void Sensor::report_lost_events()
{
    auto rings = drain_->statistics();
    reported_drops_.resize(rings.size(), 0);
    for (std::size_t index = 0; index < rings.size(); ++index) {
        const auto &ring = rings[index];
        if (ring.dropped <= reported_drops_[index]) {
            continue;
        }
        auto lost = ring.dropped - reported_drops_[index];
        reported_drops_[index] = ring.dropped;
        metrics_.counter("events_lost_" + ring.owner + "_" + ring.name, "records a full ring buffer had no room for")
            .add(lost);
        std::vector<std::string> kinds;
        for (std::size_t kind = 0; kind < ring.dropped_by_kind.size(); ++kind) {
            if (ring.dropped_by_kind[kind] != 0) {
                kinds.push_back("kind " + std::to_string(kind) + ": " + std::to_string(ring.dropped_by_kind[kind]));
            }
        }
        spdlog::warn("ring {} of {} was full: {} events lost ({} in all)", ring.name, ring.owner, lost, ring.dropped);
        alerts::Alert alert;
        alert.rule = "sensor.events_lost";
        alert.severity = VIGIL_SEVERITY_HIGH;
        alert.summary = std::to_string(lost) + " events lost: ring buffer " + ring.name + " of " + ring.owner +
                        " was full, so detections may have been missed";
        alert.evidence.push_back({"ring", ring.name});
        alert.evidence.push_back({"owner", ring.owner});
        alert.evidence.push_back({"lost", lost});
        alert.evidence.push_back({"lost_total", ring.dropped});
        alert.evidence.push_back({"lost_by_kind", kinds});
        services_->emit_sensor_alert(std::move(alert));
    }
}

// Batches the webhook answered 503 because the queue was full: the API
// server retries them, but if it keeps failing its own buffer overflows and
// drops events, so this is raised like lost ring-buffer records.
void Sensor::report_refused_audit_events()
{
    if (!audit_) {
        return;
    }
    auto refused = audit_->take_new_refusals();
    if (refused == 0) {
        return;
    }
    metrics_.counter("audit_batches_refused_queue_full", "audit webhook batches answered 503 because the queue was full")
        .add(refused);
    spdlog::warn("audit queue full: {} webhook batches refused with 503 for the API server to retry", refused);
    alerts::Alert alert;
    alert.rule = "sensor.audit_events_refused";
    alert.severity = VIGIL_SEVERITY_MEDIUM;
    alert.summary = std::to_string(refused) + " audit event batches refused: the audit queue was full, so the API "
                    "server must retry them; detections on audit events are delayed";
    alert.evidence.push_back({"refused_batches", refused});
    services_->emit_sensor_alert(std::move(alert));
}

// A pass that raised more alerts than the feed to joining detectors holds:
// the alerts reached the outputs, but correlations on them may be missed.
void Sensor::report_unfed_alerts()
{
    auto dropped = services_->feed().dropped();
    if (dropped <= reported_unfed_) {
        return;
    }
    auto missed = dropped - reported_unfed_;
    reported_unfed_ = dropped;
    metrics_.counter("alerts_not_handed_to_detectors", "alerts not handed to joining detectors: the feed was full")
        .add(missed);
    spdlog::warn("{} alerts were not handed to the detectors that join findings ({} in all): more than {} in one "
                 "pass; they reached the outputs, but chains built on them may be missed",
                 missed, dropped, AlertFeed::default_capacity);
}

void Sensor::log_statistics(bool final) const
{
    auto uptime_s = (boot_time_now_ns() - started_ns_) / second_ns;
    std::string rings;
    for (const auto &ring : drain_->statistics()) {
        rings += (rings.empty() ? "" : ", ") + ring.owner + "/" + ring.name + " " + std::to_string(ring.records) +
                 " records " + std::to_string(ring.dropped) + " lost";
    }
    const auto &router = router_->statistics();
    auto alerts = pipeline_->statistics();
    std::string outputs;
    for (const auto &[name, output] : pipeline_->output_statistics()) {
        outputs += (outputs.empty() ? "" : ", ") + output_line(name, output);
    }
    spdlog::info("{} after {}s: rings [{}]; records {} malformed {}; processes {} (evicted {}); containers {}; "
                 "alerts {} sent {} suppressed {} spool failures {}; outputs [{}]",
                 final ? "final statistics" : "statistics", uptime_s, rings, router.records, router.malformed,
                 processes_->size(), processes_->evictions(), containers_->size(), alerts.submitted, alerts.sent,
                 alerts.suppressed, alerts.spool_failures, outputs);
    if (audit_) {
        spdlog::info("audit events: {}", audit_->describe());
    }
}

void Sensor::shut_down()
{
    if (drain_ == nullptr) {
        return;
    }
    // No new audit events from here on; those already queued (and answered 200) are delivered below.
    if (audit_) {
        audit_->stop();
    }
    // What the kernel already wrote is still owed to the detectors.
    for (int round = 0; round < 16; ++round) {
        bool saturated = false;
        bool audit_more = drain_audit_events();
        if (drain_->drain_once(saturated) == 0 && !audit_more) {
            break;
        }
    }
    // Alerts still waiting for their pod go out now, enriched if it came, else unresolved.
    services_->release_held_alerts(boot_time_now_ns(), true);
    deliver_raised_alerts();
    if (pod_watcher_) {
        pod_watcher_->stop();
    }
    pipeline_->flush_spool(); // so the counts below include what those rounds raised
    log_statistics(true);
    // Plugin instances, then BPF links and objects, then the drain loop, then outputs, then the libraries.
    for (auto &plugin : detectors_) {
        plugin->destroy_instance();
    }
    detectors_.clear();
    core_probes_.reset();
    drain_.reset();
    pipeline_->stop(std::chrono::seconds(5));
    // After the drain: what each output finally delivered, and what still waits (in the spool, for the next start).
    std::string outputs;
    uint64_t pending = 0;
    for (const auto &[name, output] : pipeline_->output_statistics()) {
        outputs += (outputs.empty() ? "" : ", ") + output_line(name, output);
        pending += output.pending;
    }
    if (!outputs.empty()) {
        spdlog::info("outputs stopped: [{}]{}", outputs,
                     spool_ && pending > 0 ? "; the pending alerts stay in the spool " + spool_->path() +
                                                 " for the next start"
                                           : std::string());
    }
    outputs_.clear();
    plugin_libraries_.plugins.clear();
}

} // namespace vigil::sensor
