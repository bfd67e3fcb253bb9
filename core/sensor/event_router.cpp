#include "core/sensor/event_router.hpp"

#include "core/processes/proc_reader.hpp"

#include <cstring>
#include <utility>
#include <spdlog/spdlog.h>

namespace vigil::sensor {
namespace {

// The payload size each core kind must at least have.
std::size_t minimum_size(uint16_t kind)
{
    switch (kind) {
    case VIGIL_KIND_PROCESS_EXEC:
        return sizeof(vigil_process_exec);
    case VIGIL_KIND_PROCESS_FORK:
        return sizeof(vigil_process_fork);
    case VIGIL_KIND_PROCESS_EXIT:
        return sizeof(vigil_process_exit);
    case VIGIL_KIND_CGROUP_CREATED:
    case VIGIL_KIND_CGROUP_REMOVED:
        return sizeof(vigil_cgroup_change);
    default:
        return 0;
    }
}

std::string_view cgroup_path_of(const vigil_cgroup_change &change)
{
    auto size = std::min<std::size_t>(change.path_size, sizeof(change.path));
    return std::string_view(change.path, size > 0 ? strnlen(change.path, size) : 0);
}

} // namespace

EventRouter::EventRouter(processes::ProcessTable &processes, containers::ContainerResolver &containers,
                         std::string proc_root)
    : processes_(processes), proc_root_(std::move(proc_root)), containers_(containers)
{
}

void EventRouter::subscribe(RunningPlugin &plugin)
{
    for (uint16_t kind : plugin.descriptor().subscribed_kinds) {
        if (kind > VIGIL_KIND_NONE && kind < VIGIL_KIND_PLUGIN_BASE) {
            subscribers_[kind].push_back(&plugin);
        } else {
            spdlog::warn("{}: cannot subscribe to event kind {}: only core kinds (1 to {}) can be subscribed to",
                         plugin.instance_name(), kind, VIGIL_KIND_PLUGIN_BASE - 1);
        }
    }
}

events::RecordHandler &EventRouter::plugin_records(RunningPlugin &plugin)
{
    plugin_handlers_.push_back(std::make_unique<PluginHandler>(*this, plugin));
    return *plugin_handlers_.back();
}

const vigil_event_header *EventRouter::checked_header(const void *data, std::size_t size)
{
    ++statistics_.records;
    // Records come from BPF programs, including third parties': never trust a size.
    if (size < sizeof(vigil_event_header)) {
        ++statistics_.malformed;
        return nullptr;
    }
    const auto *header = static_cast<const vigil_event_header *>(data);
    if (header->size < sizeof(vigil_event_header) || header->size > size) {
        ++statistics_.malformed;
        return nullptr;
    }
    return header;
}

void EventRouter::deliver(RunningPlugin &plugin, const vigil_event_header &header,
                          const processes::ProcessEntry *process)
{
    const containers::ContainerInfo *container = containers_.resolve(header.cgroup_id);

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

void EventRouter::deliver_audit(const vigil_audit_event &audit, uint64_t now_boot_ns)
{
    vigil_event event{};
    event.kind = VIGIL_KIND_AUDIT_EVENT;
    event.audit = &audit;
    deliver_without_process(event, now_boot_ns, nullptr);
}

void EventRouter::deliver_raised_alert(const vigil_raised_alert &alert, const std::string &raiser,
                                       uint64_t now_boot_ns)
{
    vigil_event event{};
    event.kind = VIGIL_KIND_ALERT_RAISED;
    event.alert = &alert;
    deliver_without_process(event, now_boot_ns, &raiser);
}

void EventRouter::deliver_without_process(vigil_event &event, uint64_t now_boot_ns, const std::string *skip)
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

void EventRouter::handle_core(const void *data, std::size_t size)
{
    const auto *header = checked_header(data, size);
    if (header == nullptr) {
        return;
    }
    auto kind = header->kind;
    auto needed = minimum_size(kind);
    if (needed == 0 || kind >= VIGIL_KIND_PLUGIN_BASE) {
        ++statistics_.unknown_kind;
        return;
    }
    if (header->size < needed) {
        ++statistics_.malformed;
        return;
    }
    switch (kind) {
    case VIGIL_KIND_PROCESS_EXEC:
        processes_.on_exec(*static_cast<const vigil_process_exec *>(data));
        break;
    case VIGIL_KIND_PROCESS_FORK:
        processes_.on_fork(*static_cast<const vigil_process_fork *>(data));
        break;
    case VIGIL_KIND_CGROUP_CREATED: {
        const auto &change = *static_cast<const vigil_cgroup_change *>(data);
        containers_.on_cgroup_created(change.cgroup_id, cgroup_path_of(change));
        break;
    }
    default:
        break;
    }
    if (!subscribers_[kind].empty()) {
        const auto *process = processes_.find(header->tgid);
        for (auto *plugin : subscribers_[kind]) {
            deliver(*plugin, *header, process);
        }
    }
    // After the subscribers: they may still want to know who exited, or what was removed.
    if (kind == VIGIL_KIND_PROCESS_EXIT) {
        processes_.on_exit(*static_cast<const vigil_process_exit *>(data));
    } else if (kind == VIGIL_KIND_CGROUP_REMOVED) {
        containers_.on_cgroup_removed(static_cast<const vigil_cgroup_change *>(data)->cgroup_id);
    }
}

processes::ProcessEntry &EventRouter::process_of_plugin_record(const vigil_event_header &header)
{
    auto *process = &processes_.observe(header);
    if (processes::exe_matches_comm(process->exe, header)) {
        return *process;
    }
    // Each ring is drained in turn, so a plugin's record can come before the
    // core's record of the exec that started its process: the table then
    // holds the parent's program or only the thread's name. The exec happened
    // first, so it is in the core's ring by now: take what waits there.
    if (drain_ != nullptr && drain_->catch_up(core_handler_) > 0) {
        process = &processes_.observe(header);
        if (processes::exe_matches_comm(process->exe, header)) {
            return *process;
        }
    }
    // Still no match: an exec the sensor missed (a lost record, a process
    // from before the start), or a program whose name is not its file's.
    // Plugin records are candidates for alerts, and rare: ask /proc.
    processes::refresh_program_from_proc(proc_root_, *process);
    return *process;
}

void EventRouter::handle_plugin(RunningPlugin &plugin, const void *data, std::size_t size)
{
    const auto *header = checked_header(data, size);
    if (header == nullptr) {
        return;
    }
    deliver(plugin, *header, &process_of_plugin_record(*header));
}

} // namespace vigil::sensor
