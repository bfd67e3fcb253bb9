// SPDX-License-Identifier: Apache-2.0
// The pods of this node, by pod UID and by container id. Written by the pod
// watcher's thread, read by the event thread: a read is a map lookup under a
// mutex that no writer holds across any I/O, and returns a shared pointer so
// the reader never copies the pod's strings.
//
// A deleted pod stays for a grace period: an alert raised by its container
// just before the deletion may be handled after the watcher heard of it.
// Bounded: beyond max_pods, the pod deleted longest ago goes first, else the
// one stored longest ago.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/kubernetes/pod_metadata.hpp"

namespace vigil::kubernetes {

class PodCache {
public:
    PodCache(std::size_t max_pods, uint64_t deleted_grace_ns);

    // Adds or replaces the pod with @pod.uid.
    void upsert(PodMetadata pod, uint64_t now_ns);
    // Marks the pod deleted; it is forgotten once the grace period has passed.
    void remove(const std::string &uid, uint64_t now_ns);
    // After a (re)list: what the list has is stored, and every pod it lacks is
    // marked deleted (its DELETED event was missed while disconnected).
    void replace_all(std::vector<PodMetadata> pods, uint64_t now_ns);

    // The pod of container @container_id, else of pod @pod_uid; nullptr when neither is known.
    std::shared_ptr<const PodMetadata> find(std::string_view container_id, std::string_view pod_uid) const;

    // Changes with every store or removal: a reader that saw the same value
    // before knows a lookup would find nothing new.
    uint64_t version() const { return version_.load(std::memory_order_acquire); }
    std::size_t size() const;
    uint64_t evictions() const { return evictions_.load(std::memory_order_relaxed); }

private:
    struct Entry {
        std::shared_ptr<const PodMetadata> pod;
        uint64_t stored_sequence = 0;
        uint64_t deleted_at_ns = 0; // 0: present
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using Index = std::unordered_map<std::string, Entry, StringHash, std::equal_to<>>;

    void store_locked(PodMetadata pod);
    void erase_locked(Index::iterator entry);
    void expire_locked(uint64_t now_ns);
    void make_room_locked();

    const std::size_t max_pods_;
    const uint64_t deleted_grace_ns_;
    mutable std::mutex mutex_;
    Index by_uid_;
    std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> uid_by_container_;
    uint64_t sequence_ = 0;
    std::atomic<uint64_t> version_{0};
    std::atomic<uint64_t> evictions_{0};
};

} // namespace vigil::kubernetes
