// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/rendered_alert.hpp"

#include "core/alerts/finding_key.hpp"

namespace vigil::alerts {
namespace {

std::vector<vigil_attack_ref> abi_refs(const std::vector<alerts::AttackRef> &refs)
{
    std::vector<vigil_attack_ref> views;
    views.reserve(refs.size());
    for (const auto &ref : refs) {
        views.push_back(vigil_attack_ref{sizeof(vigil_attack_ref), ref.id.c_str(), ref.name.c_str()});
    }
    return views;
}

} // namespace

RenderedAlert::RenderedAlert(alerts::Alert alert)
    : alert_(std::move(alert)), json_(alerts::to_json(alert_)), finding_key_(alerts::finding_key(alert_)),
      tactics_(abi_refs(alert_.tactics)), techniques_(abi_refs(alert_.techniques))
{
    view_.struct_size = sizeof(view_);
    view_.json = json_.c_str();
    view_.json_size = json_.size();
    view_.rule = alert_.rule.c_str();
    view_.plugin = alert_.plugin.c_str();
    view_.summary = alert_.summary.c_str();
    view_.severity = alert_.severity;
    view_.time_unix_ns = alert_.time_unix_ns;
    view_.tactics = tactics_.data();
    view_.tactic_count = static_cast<uint32_t>(tactics_.size());
    view_.techniques = techniques_.data();
    view_.technique_count = static_cast<uint32_t>(techniques_.size());
    view_.pid = alert_.process ? alert_.process->pid : 0;
    view_.exe = alert_.process ? alert_.process->exe.c_str() : "";
    view_.container_id = alert_.container ? alert_.container->id.c_str() : nullptr;
    view_.pod_uid = alert_.k8s.pod_uid.empty() ? nullptr : alert_.k8s.pod_uid.c_str();
    view_.node = alert_.k8s.node.c_str();
    view_.repeat_count = alert_.repeat ? alert_.repeat->count : 0;
    view_.finding_key = finding_key_.c_str();
}

} // namespace vigil::alerts
