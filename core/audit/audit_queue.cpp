// SPDX-License-Identifier: Apache-2.0
#include "core/audit/audit_queue.hpp"

#include <algorithm>
#include <iterator>

namespace vigil::audit {

AuditQueue::AuditQueue(std::size_t capacity) : capacity_(capacity) {}

bool AuditQueue::push(std::vector<AuditEvent> &events, bool count_refusal)
{
    std::lock_guard lock(mutex_);
    if (events.size() > capacity_ - events_.size()) {
        if (count_refusal) {
            ++statistics_.refused_batches;
            statistics_.refused_events += events.size();
        }
        return false;
    }
    events_.insert(events_.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
    statistics_.pushed += events.size();
    events.clear();
    return true;
}

bool AuditQueue::try_push_all(std::vector<AuditEvent> &events)
{
    return push(events, true);
}

bool AuditQueue::try_push_all_quietly(std::vector<AuditEvent> &events)
{
    return push(events, false);
}

bool AuditQueue::take(std::vector<AuditEvent> &out, std::size_t limit)
{
    out.clear();
    std::lock_guard lock(mutex_);
    auto count = std::min(limit, events_.size());
    auto end = events_.begin() + static_cast<std::ptrdiff_t>(count);
    out.insert(out.end(), std::make_move_iterator(events_.begin()), std::make_move_iterator(end));
    events_.erase(events_.begin(), end);
    statistics_.taken += count;
    return !events_.empty();
}

QueueStatistics AuditQueue::statistics() const
{
    std::lock_guard lock(mutex_);
    auto copy = statistics_;
    copy.waiting = events_.size();
    return copy;
}

} // namespace vigil::audit
