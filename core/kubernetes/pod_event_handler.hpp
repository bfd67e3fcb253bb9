// SPDX-License-Identifier: Apache-2.0
// Applies what the API says about pods to the cache: a list (the starting
// point, and after a watch expired) and each event of a watch. Owns the
// resourceVersion the next watch resumes from. No threads and no network of
// its own (owner lookups go through the OwnerResolver), so it is tested with
// canned JSON.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/kubernetes/owner_resolver.hpp"
#include "core/kubernetes/pod_cache.hpp"
#include "core/util/log_throttle.hpp"

namespace vigil::kubernetes {

enum class WatchOutcome {
    applied, // ADDED, MODIFIED, DELETED or BOOKMARK taken in
    relist,  // the resourceVersion expired (410 Gone): list again
    skipped, // a malformed line or pod, counted and logged
    error,   // an ERROR event other than 410: reconnect
};

class PodEventHandler {
public:
    using Clock = std::function<uint64_t()>; // nanoseconds, monotonic

    PodEventHandler(PodCache &cache, OwnerResolver &owners, std::vector<std::string> label_keys, Clock clock);

    // A PodList body: replaces the cache's content and sets the resourceVersion.
    // Returns how many pods were stored, or why the body is unusable.
    std::expected<std::size_t, std::string> apply_list(std::string_view body);

    // One line of a watch stream. @detail receives the reason of an error or skip.
    WatchOutcome apply_event(std::string_view line, std::string &detail);

    const std::string &resource_version() const { return resource_version_; }
    uint64_t malformed() const { return malformed_; }

private:
    void skip(const std::string &reason);

    PodCache &cache_;
    OwnerResolver &owners_;
    std::vector<std::string> label_keys_;
    Clock clock_;
    std::string resource_version_;
    uint64_t malformed_ = 0;
    util::LogThrottle malformed_log_;
};

} // namespace vigil::kubernetes
