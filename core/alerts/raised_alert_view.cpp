// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/raised_alert_view.hpp"

#include <type_traits>

#include "core/alerts/finding_key.hpp"

namespace vigil::alerts {
namespace {

void fill_refs(const std::vector<AttackRef> &refs, std::vector<vigil_attack_ref> &out)
{
    out.clear();
    for (const auto &ref : refs) {
        out.push_back(vigil_attack_ref{sizeof(vigil_attack_ref), ref.id.c_str(), ref.name.c_str()});
    }
}

} // namespace

const vigil_raised_alert &RaisedAlertView::view_of(const Alert &alert)
{
    fill_refs(alert.tactics, tactics_);
    fill_refs(alert.techniques, techniques_);

    evidence_.clear();
    std::size_t lists_used = 0;
    for (const auto &field : alert.evidence) {
        vigil_evidence_field out{};
        out.struct_size = sizeof(out);
        out.key = field.key.c_str();
        std::visit(
            [&](const auto &value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    out.type = VIGIL_EVIDENCE_STRING;
                    out.string_value = value.c_str();
                } else if constexpr (std::is_same_v<T, bool>) {
                    out.type = VIGIL_EVIDENCE_BOOL;
                    out.integer_value = value ? 1 : 0;
                } else if constexpr (std::is_same_v<T, int64_t>) {
                    out.type = VIGIL_EVIDENCE_INTEGER;
                    out.integer_value = value;
                } else if constexpr (std::is_same_v<T, uint64_t>) {
                    out.type = VIGIL_EVIDENCE_UNSIGNED;
                    out.unsigned_value = value;
                } else {
                    if (lists_.size() <= lists_used) {
                        lists_.emplace_back();
                    }
                    auto &pointers = lists_[lists_used++];
                    pointers.clear();
                    for (const auto &item : value) {
                        pointers.push_back(item.c_str());
                    }
                    out.type = VIGIL_EVIDENCE_STRING_LIST;
                    out.list_values = pointers.data();
                    out.list_count = static_cast<uint32_t>(pointers.size());
                }
            },
            field.value);
        evidence_.push_back(out);
    }
    finding_key_ = finding_key(alert);

    static const std::string none;
    const auto &process = alert.process;
    view_ = vigil_raised_alert{};
    view_.struct_size = sizeof(view_);
    view_.severity = alert.severity;
    view_.rule = alert.rule.c_str();
    view_.plugin = alert.plugin.c_str();
    view_.summary = alert.summary.c_str();
    view_.time_unix_ns = alert.time_unix_ns;
    view_.tactics = tactics_.data();
    view_.tactic_count = static_cast<uint32_t>(tactics_.size());
    view_.techniques = techniques_.data();
    view_.technique_count = static_cast<uint32_t>(techniques_.size());
    view_.pid = process ? process->pid : 0;
    view_.exe = process ? process->exe.c_str() : none.c_str();
    view_.container_id = alert.container ? alert.container->id.c_str() : none.c_str();
    view_.pod_uid = alert.k8s.pod_uid.c_str();
    view_.pod_namespace = alert.k8s.namespace_name.c_str();
    view_.pod_name = alert.k8s.pod.c_str();
    view_.service_account = alert.k8s.service_account.c_str();
    view_.node = alert.k8s.node.c_str();
    view_.evidence = evidence_.data();
    view_.evidence_count = static_cast<uint32_t>(evidence_.size());
    view_.finding_key = finding_key_.c_str();
    return view_;
}

} // namespace vigil::alerts
