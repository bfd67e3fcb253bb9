// SPDX-License-Identifier: Apache-2.0
// From a pod's direct owner to the workload a person manages: a ReplicaSet to
// its Deployment, a Job to its CronJob. Asks the API (on the watcher's
// thread, never the event thread) and remembers the answer, since every pod
// of a ReplicaSet has the same one. When the API cannot say (no permission on
// replicasets, a transient error), a ReplicaSet is taken to belong to the
// Deployment its name is derived from: "<deployment>-<pod-template-hash>".
//
// An answer that may change (no answer at all, 401, 429, 5xx) is not
// remembered for the owner: the next new pod of it asks again. But the same
// pod asks again only after a backoff, not at each of its events (a pod
// has several while it starts, and more at each probe change).
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/kubernetes/api_client.hpp"
#include "core/kubernetes/pod_metadata.hpp"
#include "core/util/backoff.hpp"

namespace vigil::kubernetes {

class OwnerResolver {
public:
    // GET of an API path; the real one is ApiClient::get.
    using Fetch = std::function<std::expected<ApiResponse, std::string>(const std::string &path)>;
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    // Backoff of a pod whose owner could not be looked up: the first retry within
    // retry_limits.initial (jittered), doubling up to retry_limits.maximum.
    static constexpr util::BackoffLimits default_retry_limits{std::chrono::seconds{5}, std::chrono::minutes{5}};

    OwnerResolver(Fetch fetch, std::size_t max_entries, Clock clock = std::chrono::steady_clock::now,
                  util::BackoffLimits retry_limits = default_retry_limits);

    // Sets @pod's workload_kind and workload_name from its owner.
    void resolve(PodMetadata &pod);

    // The pod is gone: its retry state, if any, goes too.
    void forget(const std::string &pod_uid) { retries_.erase(pod_uid); }

    std::size_t cached() const { return cache_.size(); }
    // Pods whose owner lookup failed and waits for its retry.
    std::size_t retrying() const { return retries_.size(); }

private:
    struct Workload {
        std::string kind;
        std::string name;
        bool answered = false; // a lasting answer (200, 403, 404): worth remembering; no answer or 5xx is not
    };
    struct Retry {
        std::string owner_key;
        util::Backoff backoff;
        std::chrono::steady_clock::time_point not_before;
    };
    Workload look_up(const PodMetadata &pod);
    Workload fallback(const PodMetadata &pod) const;

    Fetch fetch_;
    std::size_t max_entries_;
    Clock clock_;
    util::BackoffLimits retry_limits_;
    std::unordered_map<std::string, std::pair<std::string, std::string>> cache_; // "<kind>/<ns>/<name>" -> workload
    std::unordered_map<std::string, Retry> retries_;                             // pod UID -> when to ask again
};

} // namespace vigil::kubernetes
