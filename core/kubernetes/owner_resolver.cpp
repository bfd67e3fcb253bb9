// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/owner_resolver.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace vigil::kubernetes {
namespace {

// The controller named in an object's ownerReferences with @kind, if any.
std::string controller_named(const nlohmann::json &object, const char *kind)
{
    const auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return {};
    }
    const auto owners = metadata->find("ownerReferences");
    if (owners == metadata->end() || !owners->is_array()) {
        return {};
    }
    for (const auto &owner : *owners) {
        if (owner.is_object() && owner.value("controller", false) && owner.value("kind", "") == kind) {
            return owner.value("name", "");
        }
    }
    return {};
}

std::string deployment_from_replicaset_name(const std::string &replicaset, const std::string &template_hash)
{
    auto suffix = "-" + template_hash;
    if (!template_hash.empty() && replicaset.size() > suffix.size() && replicaset.ends_with(suffix)) {
        return replicaset.substr(0, replicaset.size() - suffix.size());
    }
    return {};
}

// An answer that says something about the owner for good; the others (none
// at all, a refused token, throttling, a server in trouble) may differ soon.
bool lasting(long status)
{
    return status != 401 && status != 408 && status != 429 && status < 500;
}

// However the jitter falls, a pod's retry waits at least this long.
constexpr std::chrono::seconds shortest_retry{1};

} // namespace

OwnerResolver::OwnerResolver(Fetch fetch, std::size_t max_entries, Clock clock, util::BackoffLimits retry_limits)
    : fetch_(std::move(fetch)), max_entries_(max_entries), clock_(std::move(clock)), retry_limits_(retry_limits)
{
}

void OwnerResolver::resolve(PodMetadata &pod)
{
    if (pod.owner_kind != "ReplicaSet" && pod.owner_kind != "Job") {
        pod.workload_kind = pod.owner_kind;
        pod.workload_name = pod.owner_name;
        return;
    }
    auto key = pod.owner_kind + "/" + pod.namespace_name + "/" + pod.owner_name;
    if (auto cached = cache_.find(key); cached != cache_.end()) {
        pod.workload_kind = cached->second.first;
        pod.workload_name = cached->second.second;
        retries_.erase(pod.uid);
        return;
    }
    auto now = clock_();
    auto retry = retries_.find(pod.uid);
    if (retry != retries_.end() && retry->second.owner_key == key && now < retry->second.not_before) {
        auto workload = fallback(pod); // asked not long ago, and got no lasting answer
        pod.workload_kind = std::move(workload.kind);
        pod.workload_name = std::move(workload.name);
        return;
    }
    auto workload = look_up(pod);
    if (workload.answered) {
        if (cache_.size() >= max_entries_) {
            cache_.clear(); // rare (that many workloads on one node): start over rather than track age
        }
        cache_.emplace(key, std::make_pair(workload.kind, workload.name));
        retries_.erase(pod.uid);
    } else {
        if (retry == retries_.end() || retry->second.owner_key != key) {
            if (retries_.size() >= max_entries_) {
                retries_.clear(); // as above; the pods then ask once more each
            }
            retry = retries_.insert_or_assign(pod.uid, Retry{key, util::Backoff(retry_limits_), now}).first;
        }
        retry->second.not_before = now + retry->second.backoff.next(shortest_retry);
    }
    pod.workload_kind = std::move(workload.kind);
    pod.workload_name = std::move(workload.name);
}

OwnerResolver::Workload OwnerResolver::fallback(const PodMetadata &pod) const
{
    if (pod.owner_kind == "ReplicaSet") {
        auto deployment = deployment_from_replicaset_name(pod.owner_name, pod.template_hash);
        if (!deployment.empty()) {
            return {"Deployment", deployment, false};
        }
    }
    return {pod.owner_kind, pod.owner_name, false};
}

OwnerResolver::Workload OwnerResolver::look_up(const PodMetadata &pod)
{
    bool replicaset = pod.owner_kind == "ReplicaSet";
    auto path = (replicaset ? "/apis/apps/v1/namespaces/" : "/apis/batch/v1/namespaces/") + pod.namespace_name +
                (replicaset ? "/replicasets/" : "/jobs/") + pod.owner_name;
    const char *parent_kind = replicaset ? "Deployment" : "CronJob";
    auto response = fetch_(path);
    std::string problem;
    bool answered = response.has_value() && lasting(response->status);
    if (!response) {
        problem = response.error();
    } else if (response->status != 200) {
        problem = "HTTP " + std::to_string(response->status);
    } else {
        auto object = nlohmann::json::parse(response->body, nullptr, false);
        if (object.is_object()) {
            auto parent = controller_named(object, parent_kind);
            if (!parent.empty()) {
                return {parent_kind, parent, true};
            }
            return {pod.owner_kind, pod.owner_name, true}; // a bare ReplicaSet or Job
        }
        problem = "not a JSON object";
    }
    auto workload = fallback(pod);
    workload.answered = answered;
    if (workload.kind != pod.owner_kind) {
        spdlog::debug("kubernetes: GET {}: {}; taking {} {} from the {}'s name{}", path, problem, workload.kind,
                      workload.name, pod.owner_kind, answered ? "" : " for now");
    } else {
        spdlog::debug("kubernetes: GET {}: {}; the workload stays the {} itself{}", path, problem, pod.owner_kind,
                      answered ? "" : " for now");
    }
    return workload;
}

} // namespace vigil::kubernetes
