// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/pod_cache.hpp"

#include <algorithm>
#include <unordered_set>

namespace vigil::kubernetes {

PodCache::PodCache(std::size_t max_pods, uint64_t deleted_grace_ns)
    : max_pods_(std::max<std::size_t>(max_pods, 1)), deleted_grace_ns_(deleted_grace_ns)
{
}

void PodCache::erase_locked(Index::iterator entry)
{
    for (const auto &id : entry->second.pod->container_ids) {
        auto indexed = uid_by_container_.find(id);
        if (indexed != uid_by_container_.end() && indexed->second == entry->first) {
            uid_by_container_.erase(indexed);
        }
    }
    by_uid_.erase(entry);
}

void PodCache::expire_locked(uint64_t now_ns)
{
    for (auto entry = by_uid_.begin(); entry != by_uid_.end();) {
        auto next = std::next(entry);
        if (entry->second.deleted_at_ns != 0 && now_ns - entry->second.deleted_at_ns >= deleted_grace_ns_) {
            erase_locked(entry);
        }
        entry = next;
    }
}

void PodCache::make_room_locked()
{
    while (by_uid_.size() >= max_pods_) {
        // Linear, but only when the cache is full, which a node with fewer
        // pods than pod_cache_max never is.
        auto victim = std::ranges::min_element(by_uid_, [](const auto &left, const auto &right) {
            bool left_deleted = left.second.deleted_at_ns != 0;
            bool right_deleted = right.second.deleted_at_ns != 0;
            if (left_deleted != right_deleted) {
                return left_deleted;
            }
            return left_deleted ? left.second.deleted_at_ns < right.second.deleted_at_ns
                                : left.second.stored_sequence < right.second.stored_sequence;
        });
        erase_locked(victim);
        evictions_.fetch_add(1, std::memory_order_relaxed);
    }
}

void PodCache::store_locked(PodMetadata pod)
{
    auto existing = by_uid_.find(pod.uid);
    if (existing != by_uid_.end()) {
        erase_locked(existing);
    } else {
        make_room_locked();
    }
    auto shared = std::make_shared<const PodMetadata>(std::move(pod));
    for (const auto &id : shared->container_ids) {
        uid_by_container_[id] = shared->uid;
    }
    by_uid_[shared->uid] = Entry{shared, ++sequence_, 0};
}

void PodCache::upsert(PodMetadata pod, uint64_t now_ns)
{
    std::lock_guard lock(mutex_);
    expire_locked(now_ns);
    store_locked(std::move(pod));
    version_.fetch_add(1, std::memory_order_release);
}

void PodCache::remove(const std::string &uid, uint64_t now_ns)
{
    std::lock_guard lock(mutex_);
    auto entry = by_uid_.find(uid);
    if (entry != by_uid_.end() && entry->second.deleted_at_ns == 0) {
        entry->second.deleted_at_ns = std::max<uint64_t>(now_ns, 1);
    }
    expire_locked(now_ns);
    version_.fetch_add(1, std::memory_order_release);
}

void PodCache::replace_all(std::vector<PodMetadata> pods, uint64_t now_ns)
{
    std::lock_guard lock(mutex_);
    std::unordered_set<std::string> listed;
    for (const auto &pod : pods) {
        listed.insert(pod.uid);
    }
    for (auto &[uid, entry] : by_uid_) {
        if (!listed.contains(uid) && entry.deleted_at_ns == 0) {
            entry.deleted_at_ns = std::max<uint64_t>(now_ns, 1);
        }
    }
    expire_locked(now_ns);
    for (auto &pod : pods) {
        store_locked(std::move(pod));
    }
    version_.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const PodMetadata> PodCache::find(std::string_view container_id, std::string_view pod_uid) const
{
    std::lock_guard lock(mutex_);
    if (!container_id.empty()) {
        if (auto indexed = uid_by_container_.find(container_id); indexed != uid_by_container_.end()) {
            if (auto entry = by_uid_.find(indexed->second); entry != by_uid_.end()) {
                return entry->second.pod;
            }
        }
    }
    if (!pod_uid.empty()) {
        if (auto entry = by_uid_.find(pod_uid); entry != by_uid_.end()) {
            return entry->second.pod;
        }
    }
    return nullptr;
}

std::size_t PodCache::size() const
{
    std::lock_guard lock(mutex_);
    return by_uid_.size();
}

} // namespace vigil::kubernetes
