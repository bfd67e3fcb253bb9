// SPDX-License-Identifier: Apache-2.0
#include "core/events/event_router.hpp"

#include <algorithm>
#include <cstring>

#include "core/processes/proc_reader.hpp"

namespace vigil::events {
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
                         ProgramSource &programs, dispatch::RecordSink &sink)
    : processes_(processes), containers_(containers), programs_(programs), sink_(sink)
{
}

RecordHandler &EventRouter::plugin_records(std::size_t plugin)
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
        containers_.on_cgroup_created(change.cgroup_id, cgroup_path_of(change), header->timestamp_ns);
        break;
    }
    default:
        break;
    }
    if (sink_.wants_core(kind)) {
        sink_.core_record(*header, processes_.find(header->tgid), containers_.resolve(header->cgroup_id));
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
    if (rings_ != nullptr && rings_->catch_up(core_handler_) > 0) {
        process = &processes_.observe(header);
        if (processes::exe_matches_comm(process->exe, header)) {
            return *process;
        }
    }
    // Still no match: an exec the sensor missed (a lost record, a process
    // from before the start), or a program whose name is not its file's.
    // Plugin records are candidates for alerts, and rare: ask /proc.
    programs_.refresh_program(*process);
    return *process;
}

void EventRouter::handle_plugin(std::size_t plugin, const void *data, std::size_t size)
{
    const auto *header = checked_header(data, size);
    if (header == nullptr) {
        return;
    }
    auto &process = process_of_plugin_record(*header);
    sink_.plugin_record(plugin, *header, process, containers_.resolve(header->cgroup_id));
}

} // namespace vigil::events
