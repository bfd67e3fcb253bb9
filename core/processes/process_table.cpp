// SPDX-License-Identifier: Apache-2.0
#include "core/processes/process_table.hpp"

#include <algorithm>
#include <cstring>

#include "core/processes/proc_reader.hpp"

namespace vigil::processes {
namespace {

// A seeded start time comes from /proc in clock ticks; the kernel's is in ns.
constexpr uint64_t start_time_tolerance_ns = 20'000'000;

bool same_process(const ProcessEntry &entry, uint64_t start_ns)
{
    if (entry.start_ns == 0 || start_ns == 0) {
        return true;
    }
    auto difference = entry.start_ns > start_ns ? entry.start_ns - start_ns : start_ns - entry.start_ns;
    return difference <= start_time_tolerance_ns;
}

std::string_view comm_of(const vigil_event_header &header)
{
    return std::string_view(header.comm, strnlen(header.comm, sizeof(header.comm)));
}

// The parent stays the process that created this one. The kernel's real_parent
// changes to a reaper (the container's pid 1, a subreaper) once the creator exits,
// so an event read after a double fork would otherwise name whichever adopted it:
// a race, where ancestry and behaviour profiles need the same answer every time.
void take_header(ProcessEntry &entry, const vigil_event_header &header)
{
    if (entry.parent_tgid == 0) {
        entry.parent_tgid = header.parent_tgid;
    }
    entry.ns_tgid = header.ns_tgid;
    entry.uid = header.uid;
    entry.gid = header.gid;
    entry.cgroup_id = header.cgroup_id;
    entry.mnt_ns = header.mnt_ns;
    entry.pid_ns = header.pid_ns;
    entry.net_ns = header.net_ns;
    entry.last_seen_ns = header.timestamp_ns;
}

} // namespace

const vigil_process *ProcessEntry::view() const
{
    view_.struct_size = sizeof(view_);
    view_.tgid = tgid;
    view_.ns_tgid = ns_tgid;
    view_.parent_tgid = parent_tgid;
    view_.uid = uid;
    view_.gid = gid;
    view_.start_ns = start_ns;
    view_.cgroup_id = cgroup_id;
    view_.mnt_ns = mnt_ns;
    view_.pid_ns = pid_ns;
    view_.net_ns = net_ns;
    view_.exited = exited ? 1 : 0;
    view_.exe = exe.c_str();
    view_.cmdline = cmdline.c_str();
    return &view_;
}

ProcessTable::ProcessTable(std::size_t capacity, uint64_t exited_grace_ns)
    : capacity_(std::max<std::size_t>(capacity, 16)), exited_grace_ns_(exited_grace_ns)
{
    entries_.reserve(capacity_);
}

ProcessEntry &ProcessTable::insert(uint32_t tgid)
{
    if (auto found = entries_.find(tgid); found != entries_.end()) {
        return found->second;
    }
    if (entries_.size() >= capacity_) {
        make_room();
    }
    if (!spare_nodes_.empty()) {
        auto node = std::move(spare_nodes_.back());
        spare_nodes_.pop_back();
        node.key() = tgid;
        auto &entry = node.mapped();
        // Reset everything but the strings' capacity.
        entry.exe.clear();
        entry.cmdline.clear();
        auto exe = std::move(entry.exe);
        auto cmdline = std::move(entry.cmdline);
        entry = ProcessEntry{};
        entry.exe = std::move(exe);
        entry.cmdline = std::move(cmdline);
        entry.tgid = tgid;
        return entries_.insert(std::move(node)).position->second;
    }
    auto &entry = entries_[tgid];
    entry.tgid = tgid;
    return entry;
}

void ProcessTable::recycle(Map::iterator position)
{
    // Keep a bounded number of spare nodes; the rest are freed.
    if (spare_nodes_.size() < 1024) {
        spare_nodes_.push_back(entries_.extract(position));
    } else {
        entries_.erase(position);
    }
}

void ProcessTable::make_room()
{
    // Exited processes first, then the least recently seen: an eighth of the table at once.
    std::vector<std::pair<uint64_t, uint32_t>> candidates;
    candidates.reserve(entries_.size());
    for (const auto &[tgid, entry] : entries_) {
        // Exited entries sort before any live one.
        uint64_t age_key = entry.exited ? entry.exited_at_ns : (UINT64_MAX / 2 + entry.last_seen_ns / 2);
        candidates.emplace_back(age_key, tgid);
    }
    auto batch = std::max<std::size_t>(capacity_ / 8, 1);
    batch = std::min(batch, candidates.size());
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(batch - 1), candidates.end());
    for (std::size_t index = 0; index < batch; ++index) {
        if (auto found = entries_.find(candidates[index].second); found != entries_.end()) {
            recycle(found);
            ++evictions_;
        }
    }
}

ProcessEntry &ProcessTable::observe(const vigil_event_header &header)
{
    auto found = entries_.find(header.tgid);
    if (found != entries_.end()) {
        take_header(found->second, header);
        return found->second;
    }
    auto &entry = insert(header.tgid);
    take_header(entry, header);
    entry.exe.assign(comm_of(header));
    return entry;
}

void ProcessTable::on_exec(const vigil_process_exec &event)
{
    auto &entry = insert(event.header.tgid);
    if (!same_process(entry, event.process_start_ns)) {
        entry.parent_tgid = 0; // a reused pid: nothing known of this process's creator
    }
    take_header(entry, event.header);
    entry.start_ns = event.process_start_ns;
    entry.exited = false;
    auto filename_size = std::min<std::size_t>(event.filename_size, sizeof(event.filename));
    std::string_view filename(event.filename, filename_size > 0 ? strnlen(event.filename, filename_size) : 0);
    if (filename.empty()) {
        filename = comm_of(event.header);
    }
    entry.exe.assign(filename);
    auto args_size = std::min<std::size_t>(event.args_size, sizeof(event.args));
    join_arguments(std::string_view(event.args, args_size), entry.cmdline);
}

void ProcessTable::on_fork(const vigil_process_fork &event)
{
    auto &parent = observe(event.header);
    auto found = entries_.find(event.child_tgid);
    if (found != entries_.end() && same_process(found->second, event.child_start_ns)) {
        return; // already known (the child's own events came first)
    }
    // Copy what the child inherits before inserting: insertion may evict the parent.
    ProcessEntry inherited = parent;
    auto &child = insert(event.child_tgid);
    auto exe = std::move(child.exe);
    auto cmdline = std::move(child.cmdline);
    exe.assign(inherited.exe);
    cmdline.assign(inherited.cmdline);
    child = std::move(inherited);
    child.exe = std::move(exe);
    child.cmdline = std::move(cmdline);
    child.tgid = event.child_tgid;
    child.ns_tgid = event.child_ns_tgid;
    child.parent_tgid = event.header.tgid;
    child.start_ns = event.child_start_ns;
    child.exited = false;
    child.exited_at_ns = 0;
}

void ProcessTable::on_exit(const vigil_process_exit &event)
{
    auto found = entries_.find(event.header.tgid);
    if (found == entries_.end() || !same_process(found->second, event.process_start_ns)) {
        return;
    }
    found->second.exited = true;
    found->second.exited_at_ns = event.header.timestamp_ns;
}

void ProcessTable::seed(ProcessEntry entry)
{
    if (entries_.contains(entry.tgid)) {
        return;
    }
    auto &slot = insert(entry.tgid);
    slot = std::move(entry);
}

const ProcessEntry *ProcessTable::find(uint32_t tgid) const
{
    auto found = entries_.find(tgid);
    return found == entries_.end() ? nullptr : &found->second;
}

const ProcessEntry *ProcessTable::find_in_namespace(uint32_t pid_ns, uint32_t ns_tgid) const
{
    // Rare (an injection target): a scan is cheaper than keeping a second index current.
    const ProcessEntry *best = nullptr;
    for (const auto &[tgid, entry] : entries_) {
        if (entry.pid_ns == pid_ns && entry.ns_tgid == ns_tgid && (best == nullptr || best->exited)) {
            best = &entry;
        }
    }
    return best;
}

std::size_t ProcessTable::ancestry(uint32_t tgid, bool in_container, std::span<const ProcessEntry *> out) const
{
    const ProcessEntry *subject = find(tgid);
    if (subject == nullptr) {
        return 0;
    }
    std::size_t count = 0;
    const ProcessEntry *current = subject;
    while (count < out.size() && current->parent_tgid != 0 && current->parent_tgid != current->tgid) {
        // A pid namespace's init is its container's entry point: nothing above it belongs to the container.
        if (current->ns_tgid == 1) {
            break;
        }
        const ProcessEntry *parent = find(current->parent_tgid);
        if (parent == nullptr) {
            break;
        }
        if (in_container && subject->cgroup_id != 0 && parent->cgroup_id != subject->cgroup_id) {
            break; // the chain left the container (e.g. the runtime that exec'd into it)
        }
        out[count++] = parent;
        current = parent;
    }
    return count;
}

void ProcessTable::expire(uint64_t now_ns)
{
    for (auto position = entries_.begin(); position != entries_.end();) {
        const auto &entry = position->second;
        if (entry.exited && entry.exited_at_ns + exited_grace_ns_ < now_ns) {
            auto next = std::next(position);
            recycle(position);
            position = next;
        } else {
            ++position;
        }
    }
}

} // namespace vigil::processes
