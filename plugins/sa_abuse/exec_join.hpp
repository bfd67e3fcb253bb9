// SPDX-License-Identifier: Apache-2.0
// Pairs a pods/exec (or attach) request seen in the audit log with the
// process it started in the pod's container on this node.
//
// The audit event names the pod (namespace/name); a container knows its pod
// by UID. The SDK has no pod lookup, so the name is mapped to a UID from what
// audit events themselves say: a bound token's pod-name/pod-uid claims (the
// pod calling the API server with its own token), and objectRef.uid when the
// API server sets it. A pod never seen that way cannot be joined.
//
// Audit events arrive late (the webhook batches them), so either side may
// come first: each waits up to the window for the other, by arrival time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vigil_sa_abuse {

struct ExecRequest {
    uint64_t at_ns = 0;
    std::string pod_uid;
    std::string user;
    std::string pod; // "<namespace>/<name>"
    std::string request_uri;
    std::string audit_id;
};

struct ExecProcess {
    uint64_t at_ns = 0;
    std::string pod_uid;
    std::string exe;
    std::string cmdline;
    std::string container_id;
    uint32_t pid = 0;
};

class ExecJoin {
public:
    ExecJoin(uint64_t window_ns, std::size_t capacity);

    void learn_pod(std::string_view pod_namespace, std::string_view pod_name, std::string_view pod_uid);
    // The UID learned for a pod, or "".
    std::string pod_uid(std::string_view pod_namespace, std::string_view pod_name) const;

    // A request: the process it started if that came first (both are then
    // forgotten), else nothing, and the request waits for its process.
    std::optional<ExecProcess> add_request(ExecRequest request);
    // A process started from outside its container: the request it answers,
    // if that came first, else nothing, and the process waits for a request.
    std::optional<ExecRequest> add_process(ExecProcess process);

private:
    void expire(uint64_t now_ns);

    uint64_t window_ns_;
    std::size_t capacity_;
    std::unordered_map<std::string, std::string> pod_uids_; // "<namespace>/<name>" -> UID
    std::deque<ExecRequest> requests_;
    std::deque<ExecProcess> processes_;
};

} // namespace vigil_sa_abuse
