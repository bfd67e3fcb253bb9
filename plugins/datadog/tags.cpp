// SPDX-License-Identifier: Apache-2.0
#include "tags.hpp"

#include <optional>

#include <vigil/output_text.hpp>

namespace vigil_datadog {
namespace {

bool kept_in_tag(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == ':' || c == '.' || c == '/';
}

} // namespace

std::string_view host_of(const vigil_alert &alert, const Formatting &formatting)
{
    if (alert.node != nullptr && alert.node[0] != '\0') {
        return alert.node;
    }
    return formatting.fallback_host;
}

std::string make_tag(std::string_view key, std::string_view value)
{
    std::string tag(key);
    tag += ':';
    for (char c : value) {
        tag += kept_in_tag(c) ? c : '_';
    }
    if (tag.size() > max_tag_length) {
        tag.resize(max_tag_length);
    }
    return tag;
}

std::vector<std::string> alert_tags(const vigil_alert &alert, const Formatting &formatting)
{
    std::vector<std::string> tags;
    for (uint32_t index = 0; index < alert.tactic_count; ++index) {
        tags.push_back(make_tag("mitre_tactic", alert.tactics[index].id));
    }
    for (uint32_t index = 0; index < alert.technique_count; ++index) {
        tags.push_back(make_tag("mitre_technique", alert.techniques[index].id));
    }
    tags.push_back(make_tag("rule", alert.rule != nullptr ? alert.rule : ""));
    tags.push_back(make_tag("severity", severity_name(alert.severity)));
    if (alert.container_id != nullptr && alert.container_id[0] != '\0') {
        tags.push_back(make_tag("container_id", alert.container_id));
    }
    const std::string_view json(alert.json != nullptr ? alert.json : "", alert.json != nullptr ? alert.json_size : 0);
    if (auto name = vigil::json::string_at(json, {"k8s", "namespace"}); name && !name->empty()) {
        tags.push_back(make_tag("kube_namespace", *name));
    }
    if (auto pod = vigil::json::string_at(json, {"k8s", "pod"}); pod && !pod->empty()) {
        tags.push_back(make_tag("pod_name", *pod));
    }
    if (alert.pod_uid != nullptr && alert.pod_uid[0] != '\0') {
        tags.push_back(make_tag("pod_uid", alert.pod_uid));
    }
    if (auto host = host_of(alert, formatting); !host.empty()) {
        tags.push_back(make_tag("kube_node", host));
    }
    for (const auto &extra : formatting.extra_tags) {
        tags.push_back(extra);
    }
    return tags;
}

} // namespace vigil_datadog
