// SPDX-License-Identifier: Apache-2.0
#include "sequences.hpp"

#include <algorithm>

namespace vigil_escape {

void UsernsTracker::remember(const UsernsStart &start)
{
    auto same = std::find_if(entries_.begin(), entries_.end(),
                             [&](const UsernsStart &entry) { return entry.tgid == start.tgid; });
    if (same != entries_.end()) {
        *same = start;
        return;
    }
    if (entries_.size() >= capacity_ && !entries_.empty()) {
        auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto &left, const auto &right) {
            return left.time_ns < right.time_ns;
        });
        *oldest = start;
        return;
    }
    entries_.push_back(start);
}

std::optional<UsernsStart> UsernsTracker::find(uint32_t tgid, uint64_t now_ns, uint64_t window_ns) const
{
    for (const auto &entry : entries_) {
        if (entry.tgid == tgid && entry.time_ns <= now_ns && now_ns - entry.time_ns <= window_ns) {
            return entry;
        }
    }
    return std::nullopt;
}

void UsernsTracker::expire(uint64_t now_ns, uint64_t window_ns)
{
    std::erase_if(entries_, [&](const UsernsStart &entry) {
        return entry.time_ns > now_ns ? false : now_ns - entry.time_ns > window_ns;
    });
}

std::optional<PendingLoad> PendingLoads::add(const PendingLoad &attempt)
{
    std::optional<PendingLoad> pushed_out;
    if (entries_.size() >= capacity_ && !entries_.empty()) {
        pushed_out = entries_.front();
        entries_.erase(entries_.begin());
    }
    entries_.push_back(attempt);
    return pushed_out;
}

std::optional<PendingLoad> PendingLoads::take(uint32_t tid)
{
    auto found = std::find_if(entries_.begin(), entries_.end(),
                              [&](const PendingLoad &entry) { return entry.attempt.header.tid == tid; });
    if (found == entries_.end()) {
        return std::nullopt;
    }
    PendingLoad taken = *found;
    entries_.erase(found);
    return taken;
}

std::vector<PendingLoad> PendingLoads::take_older_than(uint64_t deadline_ns)
{
    std::vector<PendingLoad> old;
    std::erase_if(entries_, [&](const PendingLoad &entry) {
        if (entry.seen_ns < deadline_ns) {
            old.push_back(entry);
            return true;
        }
        return false;
    });
    return old;
}

} // namespace vigil_escape
