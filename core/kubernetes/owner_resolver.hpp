// From a pod's direct owner to the workload a person manages: a ReplicaSet to
// its Deployment, a Job to its CronJob. Asks the API (on the watcher's
// thread, never the event thread) and remembers the answer, since every pod
// of a ReplicaSet has the same one. When the API cannot say (no permission on
// replicasets, a transient error), a ReplicaSet is taken to belong to the
// Deployment its name is derived from: "<deployment>-<pod-template-hash>".
#pragma once

#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/kubernetes/api_client.hpp"
#include "core/kubernetes/pod_metadata.hpp"

namespace vigil::kubernetes {

class OwnerResolver {
public:
    // GET of an API path; the real one is ApiClient::get.
    using Fetch = std::function<std::expected<ApiResponse, std::string>(const std::string &path)>;

    OwnerResolver(Fetch fetch, std::size_t max_entries);

    // Sets @pod's workload_kind and workload_name from its owner.
    void resolve(PodMetadata &pod);

    std::size_t cached() const { return cache_.size(); }

private:
    struct Workload {
        std::string kind;
        std::string name;
        bool answered = false; // the API answered (even 403/404): worth remembering; a transport failure is not
    };
    Workload look_up(const PodMetadata &pod);

    Fetch fetch_;
    std::size_t max_entries_;
    std::unordered_map<std::string, std::pair<std::string, std::string>> cache_; // "<kind>/<ns>/<name>" -> workload
};

} // namespace vigil::kubernetes
