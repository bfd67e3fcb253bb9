// SPDX-License-Identifier: Apache-2.0
#include "core/dispatch/plugin_services.hpp"

#include <cerrno>
#include <span>

#include <spdlog/spdlog.h>

#include "core/util/private_directory.hpp"

namespace vigil::dispatch {

PluginServices::PluginServices(processes::ProcessTable &processes, containers::ContainerResolver &containers,
                               const Dispatcher &dispatcher, alerts::AlertIntake &intake, metrics::Registry &metrics,
                               NodeFacts node)
    : processes_(processes), containers_(containers), dispatcher_(dispatcher), intake_(intake), metrics_(metrics),
      node_(std::move(node))
{
    host_info_ = vigil_host_info{sizeof(vigil_host_info),    node_.node_name.c_str(), node_.proc_root.c_str(),
                                 node_.cgroup2_root.c_str(), node_.namespaces.mnt_ns, node_.namespaces.pid_ns,
                                 node_.namespaces.net_ns,    node_.started_ns};
}

void PluginServices::declare(const plugins::PluginDescriptor &descriptor)
{
    for (const auto &ref : descriptor.tactics) {
        declared_.emplace(descriptor.name, ref.id);
    }
    for (const auto &ref : descriptor.techniques) {
        declared_.emplace(descriptor.name, ref.id);
    }
}

void PluginServices::warn_undeclared(const std::string &plugin, const alerts::Alert &alert)
{
    auto check = [&](const alerts::AttackRef &ref) {
        std::pair key(plugin, ref.id);
        if (!declared_.contains(key) && warned_.insert(key).second) {
            spdlog::warn("{}: raised {} (rule {}) without declaring it in its descriptor; `vigil plugins` "
                         "under-reports its coverage",
                         plugin, ref.id, alert.rule);
        }
    };
    for (const auto &ref : alert.tactics) {
        check(ref);
    }
    for (const auto &ref : alert.techniques) {
        check(ref);
    }
}

int PluginServices::emit_alert(const std::string &plugin, const vigil_alert_request &request)
{
    if (request.struct_size < sizeof(uint32_t) || request.rule == nullptr) {
        return -EINVAL;
    }
    auto alert = alerts::alert_from_request(request, plugin);
    warn_undeclared(plugin, alert);

    alerts::AlertSubject subject;
    const auto &dispatch = dispatcher_.current();
    // The event pointer is only trusted if it is the one being dispatched right now.
    if (request.event != nullptr && request.event == dispatch.event) {
        // An audit event or a handed-on alert comes with a header that names no process: the alert
        // takes none from it, and the time it is raised.
        if (dispatch.event->kind != VIGIL_KIND_AUDIT_EVENT && dispatch.event->kind != VIGIL_KIND_ALERT_RAISED) {
            subject.header = static_cast<const vigil_event_header *>(dispatch.event->record);
        }
        subject.process = dispatch.process;
        subject.container = dispatch.container;
    } else if (request.subject_tgid != 0) {
        subject.process = processes_.find(request.subject_tgid);
        if (subject.process != nullptr) {
            subject.container = containers_.resolve(subject.process->cgroup_id);
        }
    }
    if (dispatch.event != nullptr && dispatch.event->kind == VIGIL_KIND_ALERT_RAISED) {
        alert.answers_raised_alert = true; // whatever it names as its subject
    }
    intake_.submit(std::move(alert), subject);
    return 0;
}

const vigil_process *PluginServices::find_process(uint32_t tgid)
{
    const auto *process = processes_.find(tgid);
    return process != nullptr ? process->view() : nullptr;
}

uint32_t PluginServices::process_ancestry(uint32_t tgid, const vigil_process **ancestors, uint32_t capacity)
{
    const auto *process = processes_.find(tgid);
    if (process == nullptr) {
        return 0;
    }
    bool in_container = containers_.resolve(process->cgroup_id) != nullptr;
    auto limit = std::min<std::size_t>(capacity, ancestry_scratch_.size());
    auto count = processes_.ancestry(tgid, in_container, std::span(ancestry_scratch_.data(), limit));
    for (std::size_t index = 0; index < count; ++index) {
        ancestors[index] = ancestry_scratch_[index]->view();
    }
    return static_cast<uint32_t>(count);
}

const vigil_container *PluginServices::find_container(uint64_t cgroup_id)
{
    const auto *container = containers_.resolve(cgroup_id);
    return container != nullptr ? &container->view : nullptr;
}

const vigil_process *PluginServices::find_process_in_namespace(uint32_t pid_ns, uint32_t ns_tgid)
{
    const auto *process = processes_.find_in_namespace(pid_ns, ns_tgid);
    return process != nullptr ? process->view() : nullptr;
}

uint32_t PluginServices::metric_register(const std::string &name, const std::string &help)
{
    return metrics_.handle(name, help);
}

void PluginServices::metric_add(uint32_t metric, uint64_t delta)
{
    metrics_.add(metric, delta);
}

// Called once per plugin (PluginHostApi keeps the answer), so the reason is logged once.
std::string PluginServices::state_directory(const std::string &plugin)
{
    if (node_.state_directory.empty()) {
        spdlog::warn("{}: asked for a state directory, but [sensor] state_directory is \"\": it keeps no state",
                     plugin);
        return {};
    }
    auto base = node_.state_directory;
    while (base.size() > 1 && base.ends_with('/')) {
        base.pop_back();
    }
    auto directory = base + "/" + plugin;
    if (auto made = util::make_private_directory(directory); !made) {
        spdlog::error("{}: no state directory, so it keeps no state: {}", plugin, made.error());
        return {};
    }
    return directory;
}

} // namespace vigil::dispatch
