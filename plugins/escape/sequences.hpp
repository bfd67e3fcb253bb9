// SPDX-License-Identifier: Apache-2.0
// What the detector remembers between records, each table bounded:
//  - processes that unshared a user namespace, until a privileged call of
//    theirs completes the escape.userns_then_mount sequence or the window ends;
//  - kernel-code loads whose attempt was seen but not yet their outcome.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "escape_events.h"

namespace vigil_escape {

// An unshare (or clone) that created a user namespace.
struct UsernsStart {
    uint32_t tgid = 0;
    uint64_t time_ns = 0;
    uint64_t flags = 0; // the CLONE_* flags
    uint32_t user_ns_before = 0;
    uint32_t user_ns_after = 0;
};

class UsernsTracker {
public:
    explicit UsernsTracker(std::size_t capacity) : capacity_(capacity) { entries_.reserve(capacity); }

    // Remembers @start; when full, the oldest entry makes room.
    void remember(const UsernsStart &start);
    // The start of @tgid no older than @window_ns at @now_ns, if any; it stays remembered.
    std::optional<UsernsStart> find(uint32_t tgid, uint64_t now_ns, uint64_t window_ns) const;
    // Drops what is older than @window_ns at @now_ns.
    void expire(uint64_t now_ns, uint64_t window_ns);
    std::size_t size() const { return entries_.size(); }

private:
    std::size_t capacity_;
    std::vector<UsernsStart> entries_;
};

// The attempt of a kernel-code load, waiting for its outcome.
struct PendingLoad {
    uint64_t seen_ns = 0; // when the attempt arrived (host clock)
    escape_kernel_load attempt{};
};

class PendingLoads {
public:
    explicit PendingLoads(std::size_t capacity) : capacity_(capacity) { entries_.reserve(capacity); }

    // Keeps @attempt; returns the entry it pushed out when full (to be reported without its outcome).
    std::optional<PendingLoad> add(const PendingLoad &attempt);
    // The attempt of thread @tid, removed.
    std::optional<PendingLoad> take(uint32_t tid);
    // Removes and returns the attempts seen before @deadline_ns.
    std::vector<PendingLoad> take_older_than(uint64_t deadline_ns);
    std::size_t size() const { return entries_.size(); }

private:
    std::size_t capacity_;
    std::vector<PendingLoad> entries_;
};

} // namespace vigil_escape
