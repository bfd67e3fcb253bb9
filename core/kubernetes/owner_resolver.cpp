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

} // namespace

OwnerResolver::OwnerResolver(Fetch fetch, std::size_t max_entries) : fetch_(std::move(fetch)), max_entries_(max_entries)
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
        return;
    }
    auto workload = look_up(pod);
    if (workload.answered) {
        if (cache_.size() >= max_entries_) {
            cache_.clear(); // rare (that many workloads on one node): start over rather than track age
        }
        cache_.emplace(key, std::make_pair(workload.kind, workload.name));
    }
    pod.workload_kind = std::move(workload.kind);
    pod.workload_name = std::move(workload.name);
}

OwnerResolver::Workload OwnerResolver::look_up(const PodMetadata &pod)
{
    bool replicaset = pod.owner_kind == "ReplicaSet";
    auto path = (replicaset ? "/apis/apps/v1/namespaces/" : "/apis/batch/v1/namespaces/") + pod.namespace_name +
                (replicaset ? "/replicasets/" : "/jobs/") + pod.owner_name;
    const char *parent_kind = replicaset ? "Deployment" : "CronJob";
    auto response = fetch_(path);
    std::string problem;
    bool answered = response.has_value();
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
    if (replicaset) {
        auto deployment = deployment_from_replicaset_name(pod.owner_name, pod.template_hash);
        if (!deployment.empty()) {
            spdlog::debug("kubernetes: GET {}: {}; taking Deployment {} from the ReplicaSet's name", path, problem,
                          deployment);
            return {"Deployment", deployment, answered};
        }
    }
    spdlog::debug("kubernetes: GET {}: {}; the workload stays the {} itself", path, problem, pod.owner_kind);
    return {pod.owner_kind, pod.owner_name, answered};
}

} // namespace vigil::kubernetes
