// SPDX-License-Identifier: Apache-2.0
// Start-up: plugins matched against the config before anything touches the
// kernel, then the stages built from the alerts back to the events, the
// probes loaded, and outputs, detectors and audit sources started.
#include "core/sensor/sensor.hpp"

#include <cerrno>
#include <cstring>
#include <expected>
#include <set>
#include <sys/stat.h>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "core/plugins/detector_objects.hpp"
#include "core/probes/bpf_permission.hpp"
#include "core/probes/probe_specs.hpp"
#include "core/probes/program_report.hpp"
#include "core/probes/tracefs.hpp"
#include "core/processes/proc_reader.hpp"
#include "core/util/boot_clock.hpp"

namespace vigil::sensor {
namespace {

// How long an exited process stays in the table for records still in other rings.
constexpr uint64_t exited_process_grace_ns = 30 * Sensor::second_ns;

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

} // namespace

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
    auto plan = plugins::plan_plugins(config_, plugin_libraries_);
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
        spdlog::warn("tracefs {}: tp/ programs fall back to tp_btf/ or raw_tp/ where plugins offer it", tracefs.detail);
    }
    if (!open_spool()) {
        return 1;
    }
    host_namespaces_ = probes::discover_host_namespaces(config_.sensor.host_proc);
    if (host_namespaces_.source != config_.sensor.host_proc + "/1") {
        spdlog::warn("cannot read the host's namespaces from {}/1; using the sensor's own ({}) as the host's",
                     config_.sensor.host_proc, host_namespaces_.source);
    }

    start_containers();
    start_processes();
    // The stages, from the alerts back to the events, each given the one after it.
    alert_context_ = std::make_unique<alerts::AlertContext>(*processes_, node_name_);
    pipeline_ = std::make_unique<alerts::AlertPipeline>(uint64_t{config_.alerts.dedup_window_s} * second_ns,
                                                        config_.alerts.dedup_max_keys);
    intake_ = std::make_unique<alerts::AlertIntake>(*alert_context_, *pipeline_);
    dispatcher_ = std::make_unique<dispatch::Dispatcher>();
    services_ = std::make_unique<dispatch::PluginServices>(
        *processes_, *containers_, *dispatcher_, *intake_, metrics_,
        dispatch::NodeFacts{node_name_, config_.sensor.host_proc, cgroups_->mount_point(), host_namespaces_,
                            started_ns_, config_.sensor.state_directory});
    programs_ = std::make_unique<events::ProcPrograms>(config_.sensor.host_proc);
    router_ = std::make_unique<events::EventRouter>(*processes_, *containers_, *programs_, *dispatcher_);
    start_kubernetes();
    drain_ = std::make_unique<events::DrainLoop>();
    router_->catch_up_with(*drain_);

    if (!load_core_probes()) {
        return 1;
    }
    start_outputs(*plan);
    report_unconfigured_spooled_outputs();
    load_hook_dispatch();
    start_detectors(*plan);
    report_hooks();
    intake_->feed().set_wanted(dispatcher_->has_subscribers(VIGIL_KIND_ALERT_RAISED));

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
    measure_every_syscall_programs();
    spdlog::info("sensor ready: {} detectors, {} outputs, {} ring buffers, node {}", detectors_.size(), outputs_.size(),
                 drain_->ring_count(), node_name_);
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
    pod_enricher_ = std::make_unique<alerts::PodEnricher>(*pods_, uint64_t{settings.unresolved_wait_ms} * 1'000'000ULL,
                                                          max_held_alerts);
    intake_->enrich_with(pod_enricher_.get());
    container_pods_ = std::make_unique<kubernetes::ContainerPods>(*containers_, *pods_);
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
    containers_ =
        std::make_unique<containers::ContainerResolver>(*cgroups_, config_.sensor.container_cache_size, started_ns_);
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
    auto spec = probes::core_lifecycle_spec();
    probes::LoadSettings settings;
    settings.disabled_types = probes::disabled_attach_types(config_.sensor);
    auto loaded = probes::load_object(
        spec, settings, [&](bpf_object *object) { probes::set_common_constants(object, spec, host_namespaces_, 0); });
    if (!loaded) {
        // Without its lifecycle probes the sensor cannot follow a single process: refuse to run blind.
        spdlog::error("core probes did not load, so the sensor cannot run: {}", loaded.error());
        return false;
    }
    probes::report_programs(**loaded);
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

// The hot syscalls' dispatcher, before any detector: its stages subscribe to it as they load.
void Sensor::load_hook_dispatch()
{
    probes::LoadSettings settings;
    settings.disabled_types = probes::disabled_attach_types(config_.sensor);
    auto loaded = probes::HookDispatch::load(settings, host_namespaces_);
    if (!loaded) {
        // Not fatal: each detector falls back to programs of its own.
        spdlog::warn("the hook dispatcher did not load, so detectors use their fallback programs: {}", loaded.error());
        return;
    }
    hook_dispatch_ = std::move(*loaded);
}

// One line per hook: what runs on it, or why nothing does.
void Sensor::report_hooks() const
{
    if (!hook_dispatch_) {
        return;
    }
    for (const auto &hook : hook_dispatch_->hooks()) {
        if (hook.attached) {
            spdlog::info("hook {} on {}: stages [{}], for host tasks too: [{}]{}", hook.name, hook.detail,
                         fmt::join(hook.container_stages, ", "), fmt::join(hook.host_stages, ", "),
                         hook.filter.empty() ? "" : "; runs for " + hook.filter);
        } else {
            spdlog::info("hook {}: not attached: {}", hook.name, hook.detail);
        }
    }
}

void Sensor::measure_every_syscall_programs()
{
    // Long enough to average over bursts, short enough that statistics do not stay on.
    constexpr uint64_t window_ns = 5'000'000'000;
    std::vector<const probes::LoadedObject *> objects = {core_probes_.get()};
    for (const auto &plugin : detectors_) {
        for (const auto &object : plugin->objects()) {
            objects.push_back(object.get());
        }
    }
    every_syscall_cost_.start(probes::EverySyscallCost::find(objects), last_tick_ns_, window_ns);
}

void Sensor::start_detectors(plugins::PluginPlan &plan)
{
    probes::LoadSettings settings;
    settings.disabled_types = probes::disabled_attach_types(config_.sensor);
    settings.ring_buffer_bytes = config_.sensor.ring_buffer_kib * 1024;
    settings.stages = hook_dispatch_.get();
    for (auto &planned : plan.detectors) {
        auto host_api = std::make_unique<plugins::PluginHostApi>(planned.instance_name, *services_);
        auto plugin = std::make_unique<plugins::RunningPlugin>(*planned.library, planned.instance_name,
                                                               std::move(host_api), std::move(planned.options));
        if (!plugin->initialise() || !plugins::load_detector_objects(*plugin, settings, host_namespaces_)) {
            continue;
        }
        services_->declare(plugin->descriptor());
        auto number = dispatcher_->add_detector(*plugin);
        for (auto &object : plugin->objects()) {
            for (const auto &ring : object->ring_buffers()) {
                std::string error;
                if (!drain_->add_ring(plugin->instance_name(), ring, router_->plugin_records(number), error)) {
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
    spdlog::info("alert spool {}: {} alerts waiting from before; bound {} MiB, {} alerts per output", alerts.spool_path,
                 waiting, alerts.spool_max_mib, alerts.spool_max_entries_per_output);
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

void Sensor::start_outputs(plugins::PluginPlan &plan)
{
    for (auto &planned : plan.outputs) {
        auto host_api = std::make_unique<plugins::PluginHostApi>(planned.instance_name, *services_);
        auto plugin = std::make_unique<plugins::RunningPlugin>(*planned.library, planned.instance_name,
                                                               std::move(host_api), std::move(planned.options));
        if (!plugin->initialise()) {
            continue;
        }
        auto route = alerts::route_with_overrides(plugin->descriptor().default_route, planned.route);
        auto routed = route.describe();
        auto worker =
            spool_ ? std::make_unique<delivery::OutputWorker>(plugin->instance_name(), &plugin->descriptor().hooks,
                                                              plugin->instance(), *spool_)
                   : std::make_unique<delivery::OutputWorker>(plugin->instance_name(), &plugin->descriptor().hooks,
                                                              plugin->instance(), config_.alerts.output_queue_size);
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
    if (!dispatcher_->has_subscribers(VIGIL_KIND_AUDIT_EVENT)) {
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

} // namespace vigil::sensor
