// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/pod_parser.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace vigil::kubernetes {
namespace {

const nlohmann::json *member(const nlohmann::json &object, const char *key)
{
    if (!object.is_object()) {
        return nullptr;
    }
    auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
}

std::string string_member(const nlohmann::json &object, const char *key)
{
    const auto *value = member(object, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// A container still being created has no id yet: it cannot be matched to a cgroup, so it is left out.
void add_containers(const nlohmann::json &status, const char *list_name, PodMetadata &pod)
{
    const auto *list = member(status, list_name);
    if (list == nullptr || !list->is_array()) {
        return;
    }
    for (const auto &entry : *list) {
        if (auto id = container_id_from_status(string_member(entry, "containerID"))) {
            pod.container_ids.push_back(*id);
            pod.containers.push_back(ContainerStatus{std::move(*id), string_member(entry, "name"),
                                                     string_member(entry, "image"), string_member(entry, "imageID")});
        }
    }
}

// The controller among the ownerReferences; a pod has at most one.
void read_owner(const nlohmann::json &metadata, PodMetadata &pod)
{
    const auto *owners = member(metadata, "ownerReferences");
    if (owners == nullptr || !owners->is_array()) {
        return;
    }
    for (const auto &owner : *owners) {
        const auto *controller = member(owner, "controller");
        if (controller != nullptr && controller->is_boolean() && controller->get<bool>()) {
            pod.owner_kind = string_member(owner, "kind");
            pod.owner_name = string_member(owner, "name");
            return;
        }
    }
}

std::string label(const nlohmann::json &metadata, const char *key)
{
    const auto *labels = member(metadata, "labels");
    return labels != nullptr ? string_member(*labels, key) : std::string();
}

} // namespace

std::optional<std::string> container_id_from_status(std::string_view container_id)
{
    auto separator = container_id.find("://");
    if (separator == std::string_view::npos) {
        return std::nullopt;
    }
    auto id = container_id.substr(separator + 3);
    if (id.size() != 64 ||
        !std::ranges::all_of(id, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
        return std::nullopt;
    }
    std::string lower(id);
    std::ranges::transform(lower, lower.begin(),
                           [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return lower;
}

std::expected<PodMetadata, std::string> parse_pod(const nlohmann::json &object, std::span<const std::string> label_keys)
{
    if (!object.is_object()) {
        return std::unexpected("the pod is not a JSON object");
    }
    const auto *metadata = member(object, "metadata");
    if (metadata == nullptr || !metadata->is_object()) {
        return std::unexpected("the pod has no metadata");
    }
    PodMetadata pod;
    pod.uid = string_member(*metadata, "uid");
    pod.name = string_member(*metadata, "name");
    pod.namespace_name = string_member(*metadata, "namespace");
    if (pod.uid.empty() || pod.name.empty() || pod.namespace_name.empty()) {
        return std::unexpected("the pod lacks metadata.uid, .name or .namespace");
    }
    static const nlohmann::json empty_object = nlohmann::json::object();
    const auto *spec = member(object, "spec");
    const auto &spec_object = spec != nullptr ? *spec : empty_object;
    pod.node = string_member(spec_object, "nodeName");
    pod.service_account = string_member(spec_object, "serviceAccountName");

    if (const auto *labels = member(*metadata, "labels"); labels != nullptr && labels->is_object()) {
        for (const auto &key : label_keys) {
            auto value = string_member(*labels, key.c_str());
            if (!value.empty()) {
                pod.labels.emplace_back(key, std::move(value));
            }
        }
    }

    read_owner(*metadata, pod);
    pod.workload_kind = pod.owner_kind;
    pod.workload_name = pod.owner_name;
    if (pod.owner_kind == "ReplicaSet") {
        pod.template_hash = label(*metadata, "pod-template-hash");
    } else if (pod.owner_kind == "DaemonSet" || pod.owner_kind == "StatefulSet") {
        pod.template_hash = label(*metadata, "controller-revision-hash");
    }

    if (const auto *status = member(object, "status")) {
        add_containers(*status, "initContainerStatuses", pod);
        add_containers(*status, "containerStatuses", pod);
        add_containers(*status, "ephemeralContainerStatuses", pod);
    }
    return pod;
}

} // namespace vigil::kubernetes
