// SPDX-License-Identifier: Apache-2.0
#include "core/dispatch/dispatcher.hpp"

#include <spdlog/spdlog.h>

namespace vigil::dispatch {

std::size_t Dispatcher::add_detector(plugins::RunningPlugin &plugin)
{
    for (uint16_t kind : plugin.descriptor().subscribed_kinds) {
        if (kind > VIGIL_KIND_NONE && kind < VIGIL_KIND_PLUGIN_BASE) {
            subscribers_[kind].push_back(&plugin);
        } else {
            spdlog::warn("{}: cannot subscribe to event kind {}: only core kinds (1 to {}) can be subscribed to",
                         plugin.instance_name(), kind, VIGIL_KIND_PLUGIN_BASE - 1);
        }
    }
    detectors_.push_back(&plugin);
    return detectors_.size() - 1;
}

void Dispatcher::core_record(const vigil_event_header &header, const processes::ProcessEntry *process,
                             const containers::ContainerInfo *container)
{
    for (auto *plugin : subscribers_[header.kind]) {
        deliver(*plugin, header, process, container);
    }
}

void Dispatcher::plugin_record(std::size_t plugin, const vigil_event_header &header,
                               const processes::ProcessEntry &process, const containers::ContainerInfo *container)
{
    deliver(*detectors_[plugin], header, &process, container); // numbers are ours: no check per record
}

void Dispatcher::deliver(plugins::RunningPlugin &plugin, const vigil_event_header &header,
                         const processes::ProcessEntry *process, const containers::ContainerInfo *container)
{
    vigil_event event{};
    event.struct_size = sizeof(event);
    event.kind = header.kind;
    event.record = &header;
    event.record_size = header.size;
    event.process = process != nullptr ? process->view() : nullptr;
    event.container = container != nullptr ? &container->view : nullptr;

    current_ = Dispatch{&event, process, container};
    ++plugin.events;
    if (plugin.hooks().on_event(plugin.instance(), &event) != 0) {
        ++plugin.event_errors;
    }
    current_ = Dispatch{};
}

void Dispatcher::deliver_audit(const vigil_audit_event &audit, uint64_t now_boot_ns)
{
    vigil_event event{};
    event.kind = VIGIL_KIND_AUDIT_EVENT;
    event.audit = &audit;
    deliver_without_process(event, now_boot_ns, nullptr);
}

void Dispatcher::deliver_raised_alert(const vigil_raised_alert &alert, const std::string &raiser, uint64_t now_boot_ns)
{
    vigil_event event{};
    event.kind = VIGIL_KIND_ALERT_RAISED;
    event.alert = &alert;
    deliver_without_process(event, now_boot_ns, &raiser);
}

void Dispatcher::deliver_without_process(vigil_event &event, uint64_t now_boot_ns, const std::string *skip)
{
    // A header, so that detectors reading header() see a well-formed one: zeros but for these.
    vigil_event_header header{};
    header.size = sizeof(header);
    header.kind = static_cast<uint16_t>(event.kind);
    header.timestamp_ns = now_boot_ns;

    event.struct_size = sizeof(event);
    event.record = &header;
    event.record_size = header.size;
    for (auto *plugin : subscribers_[event.kind]) {
        if (skip != nullptr && plugin->instance_name() == *skip) {
            continue;
        }
        current_ = Dispatch{&event, nullptr, nullptr};
        ++plugin->events;
        if (plugin->hooks().on_event(plugin->instance(), &event) != 0) {
            ++plugin->event_errors;
        }
    }
    current_ = Dispatch{};
}

} // namespace vigil::dispatch
