// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/deduplicator.hpp"

#include <algorithm>

#include "core/alerts/finding_key.hpp"

namespace vigil::alerts {

Deduplicator::Deduplicator(uint64_t window_ns, std::size_t max_keys)
    : window_ns_(window_ns), max_keys_(std::max<std::size_t>(max_keys, 1))
{
}

std::string Deduplicator::key_of(const Alert &alert)
{
    return finding_key(alert);
}

bool Deduplicator::admit(const Alert &alert, uint64_t now_ns)
{
    if (window_ns_ == 0) {
        return true;
    }
    auto key = key_of(alert);
    if (auto found = index_.find(key); found != index_.end()) {
        auto &window = *found->second;
        if (!expired(window, now_ns)) {
            auto &repeats = window.repeats;
            if (repeats.count == 0) {
                repeats.first_unix_ns = alert.time_unix_ns;
            }
            ++repeats.count;
            repeats.last_unix_ns = alert.time_unix_ns;
            ++suppressed_total_;
            return false;
        }
        // Its window is over but was not taken yet: close it, and this alert opens the next.
        close(found->second);
    }
    if (windows_.size() >= max_keys_) {
        close(windows_.begin());
    }
    windows_.push_back(Window{std::move(key), now_ns, alert, Repeat{}});
    auto last = std::prev(windows_.end());
    index_.emplace(last->key, last);
    return true;
}

void Deduplicator::close(WindowList::iterator window)
{
    index_.erase(window->key);
    if (window->repeats.count > 0) {
        Alert summary = std::move(window->first);
        summary.repeat = window->repeats;
        summary.time_unix_ns = window->repeats.last_unix_ns;
        pending_.push_back(std::move(summary));
    }
    windows_.erase(window);
}

std::vector<Alert> Deduplicator::take_pending()
{
    std::vector<Alert> taken;
    taken.swap(pending_);
    return taken;
}

std::vector<Alert> Deduplicator::take_expired(uint64_t now_ns)
{
    while (!windows_.empty() && expired(windows_.front(), now_ns)) {
        close(windows_.begin());
    }
    return take_pending();
}

std::vector<Alert> Deduplicator::take_all()
{
    while (!windows_.empty()) {
        close(windows_.begin());
    }
    return take_pending();
}

} // namespace vigil::alerts
