// SPDX-License-Identifier: Apache-2.0
// The thread that keeps the pod cache current: list the pods of this node,
// then watch from the list's resourceVersion; on 410 Gone list again; on a
// dropped connection reconnect with exponential backoff and jitter (capped at
// 30 s), resuming from the last resourceVersion seen. State changes
// (connected, relisted, lost) are logged once each, not once per retry.
//
// Owner lookups (a new pod's ReplicaSet or Job) happen inside the watch's
// line callback, so they go through a client of their own: libcurl cannot
// start a transfer on the multi handle whose callback is running.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/kubernetes/api_client.hpp"
#include "core/kubernetes/api_health.hpp"
#include "core/kubernetes/owner_resolver.hpp"
#include "core/kubernetes/pod_cache.hpp"
#include "core/kubernetes/pod_event_handler.hpp"

namespace vigil::kubernetes {

// "/api/v1/pods?fieldSelector=spec.nodeName%3D<node>", URL-encoded.
std::string pod_list_path(const std::string &node_name);
// The watch from @resource_version, with bookmarks.
std::string pod_watch_path(const std::string &node_name, const std::string &resource_version);

// One cheap request that needs what the watcher needs (list this node's
// pods, limit=1), for `vigil check`: how the server answers it.
ApiStatus probe_pod_access(const ApiSettings &settings, const std::string &node_name, std::chrono::seconds timeout);

class PodWatcher {
public:
    PodWatcher(ApiSettings settings, std::string node_name, std::vector<std::string> label_keys, PodCache &cache);
    ~PodWatcher();
    PodWatcher(const PodWatcher &) = delete;
    PodWatcher &operator=(const PodWatcher &) = delete;

    void start();
    // Ends the thread promptly, even in the middle of a transfer or a backoff.
    void stop();

    // The first list succeeded (from then on the cache says which pods exist).
    bool listed() const { return listed_.load(std::memory_order_acquire); }

    // How the API server answered the last list or watch: for the statistics
    // line. Any thread; a copy taken under a mutex, nothing else.
    ApiStatus api_status() const { return health_.status(); }

private:
    void run();
    bool list();
    bool watch(); // true when the stream delivered at least one event
    void lost(const std::string &why);
    void wait(std::chrono::milliseconds duration);

    std::string node_name_;
    PodCache &cache_;
    ApiClient client_;       // the list and the watch
    ApiClient owner_client_; // owner lookups, from inside the watch's callback
    ApiHealth health_;
    OwnerResolver owners_;
    PodEventHandler handler_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> listed_{false};
    std::mutex wait_mutex_;
    std::condition_variable wake_;
    bool connected_ = false; // for logging state changes once
    bool need_list_ = true;
};

} // namespace vigil::kubernetes
