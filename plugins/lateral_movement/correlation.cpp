// SPDX-License-Identifier: Apache-2.0
#include "correlation.hpp"

#include <algorithm>

namespace vigil_lateral_movement {

bool TreeMember::has_ancestor(uint32_t candidate) const
{
    auto used = std::span(ancestors).first(std::min<std::size_t>(ancestor_count, max_ancestors));
    return candidate != 0 && std::find(used.begin(), used.end(), candidate) != used.end();
}

bool same_process_tree(const TreeMember &a, const TreeMember &b)
{
    if (a.cgroup_id != b.cgroup_id || a.tgid == 0 || b.tgid == 0) {
        return false;
    }
    if (a.tgid == b.tgid || a.has_ancestor(b.tgid) || b.has_ancestor(a.tgid)) {
        return true;
    }
    return a.parent_tgid != 0 && a.parent_tgid == b.parent_tgid;
}

void Sighting::copy(std::array<char, text_size> &to, std::string_view text)
{
    auto size = std::min(text.size(), to.size() - 1);
    std::copy_n(text.begin(), size, to.begin());
    to[size] = '\0';
}

void Sighting::set_comm(std::string_view text)
{
    auto size = std::min(text.size(), comm.size() - 1);
    std::copy_n(text.begin(), size, comm.begin());
    comm[size] = '\0';
}

void SightingLog::record(const Sighting &sighting)
{
    if (entries_.empty()) {
        return;
    }
    entries_[next_] = sighting;
    next_ = (next_ + 1) % entries_.size();
    count_ = std::min(count_ + 1, entries_.size());
}

const Sighting *SightingLog::find_related(const TreeMember &who, uint64_t now_ns, uint64_t window_ns) const
{
    // Newest first: walk back from the last one written.
    for (std::size_t step = 1; step <= count_; ++step) {
        const auto &entry = entries_[(next_ + entries_.size() - step) % entries_.size()];
        // Records of different CPUs can arrive slightly out of order: a sighting "after" now is recent.
        bool recent = entry.time_ns >= now_ns || now_ns - entry.time_ns <= window_ns;
        if (!recent) {
            // Older entries are older still (up to reordering between CPUs, far below any window).
            return nullptr;
        }
        if (same_process_tree(entry.who, who)) {
            return &entry;
        }
    }
    return nullptr;
}

} // namespace vigil_lateral_movement
