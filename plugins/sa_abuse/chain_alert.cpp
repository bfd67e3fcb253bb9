// SPDX-License-Identifier: Apache-2.0
// The sa_abuse.chain alert: one finding with both sides' summaries, ATT&CK
// mapping and evidence, so that an analyst sees the pod broken into and what
// its account then did in one place. It is built as a vigil_alert_request,
// not a vigil::Alert: two sides' evidence overflows the Alert's fixed room
// (24 fields, 6 techniques).
#include <algorithm>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detector.hpp"

namespace vigil_sa_abuse {
namespace {

// The sensor keeps at most 64 evidence fields of an alert; the join's own
// come first, so that what gets cut is the tail of a side's evidence.
constexpr std::size_t max_evidence = 64;

// Evidence fields with owned keys. Values are referenced: the Chain they come
// from must outlive the emit.
class EvidenceFields {
public:
    void string(std::string key, const std::string &value)
    {
        if (auto *field = next(std::move(key), VIGIL_EVIDENCE_STRING)) {
            field->string_value = value.c_str();
        }
    }
    void unsigned_value(std::string key, uint64_t value)
    {
        if (auto *field = next(std::move(key), VIGIL_EVIDENCE_UNSIGNED)) {
            field->unsigned_value = value;
        }
    }
    // @copy under "<prefix>.<its key>", by its type.
    void copied(std::string_view prefix, const CopiedEvidence &copy)
    {
        auto *field = next(std::string(prefix) + "." + copy.key, copy.type);
        if (field == nullptr) {
            return;
        }
        switch (copy.type) {
        case VIGIL_EVIDENCE_STRING:
            field->string_value = copy.text.c_str();
            break;
        case VIGIL_EVIDENCE_INTEGER:
        case VIGIL_EVIDENCE_BOOL:
            field->integer_value = copy.integer;
            break;
        case VIGIL_EVIDENCE_UNSIGNED:
            field->unsigned_value = copy.unsigned_value;
            break;
        case VIGIL_EVIDENCE_STRING_LIST: {
            auto &items = lists_.emplace_back();
            for (const auto &item : copy.list) {
                items.push_back(item.c_str());
            }
            field->list_values = items.data();
            field->list_count = static_cast<uint32_t>(items.size());
            break;
        }
        }
    }
    std::span<const vigil_evidence_field> fields() const { return fields_; }

private:
    // A new field, or nullptr when full or when the key is taken (a side's
    // own "rule" would repeat "container.rule"; the first one stays).
    vigil_evidence_field *next(std::string key, vigil_evidence_type type)
    {
        if (fields_.size() >= max_evidence ||
            std::any_of(keys_.begin(), keys_.end(), [&](const std::string &taken) { return taken == key; })) {
            return nullptr;
        }
        const auto &owned = keys_.emplace_back(std::move(key));
        auto &field = fields_.emplace_back();
        field.struct_size = sizeof(field);
        field.key = owned.c_str();
        field.type = type;
        return &field;
    }

    // deques: adding to them leaves the earlier elements (and their c_str()) where they are.
    std::deque<std::string> keys_;
    std::deque<std::vector<const char *>> lists_;
    std::vector<vigil_evidence_field> fields_;
};

// The refs among @declared (this plugin's descriptor: the sensor accepts no
// others) that either side names, each once, the container side's first.
std::vector<vigil_attack_ref> union_of(std::span<const vigil_attack_ref> declared,
                                       const std::vector<std::string> &first, const std::vector<std::string> &second)
{
    std::vector<vigil_attack_ref> refs;
    for (const auto *ids : {&first, &second}) {
        for (const auto &id : *ids) {
            auto known = std::find_if(declared.begin(), declared.end(),
                                      [&](const vigil_attack_ref &ref) { return id == ref.id; });
            bool taken =
                std::any_of(refs.begin(), refs.end(), [&](const vigil_attack_ref &ref) { return id == ref.id; });
            if (known != declared.end() && !taken) {
                refs.push_back(*known);
            }
        }
    }
    return refs;
}

// "<namespace>/<name>" from whichever side knows the pod's name, else its UID.
std::string pod_label(const Chain &chain)
{
    for (const auto *side : {&chain.container, &chain.audit}) {
        if (!side->pod_namespace.empty() && !side->pod_name.empty()) {
            return side->pod_namespace + "/" + side->pod_name;
        }
    }
    for (const auto *side : {&chain.container, &chain.audit}) {
        if (!side->pod_uid.empty()) {
            return side->pod_uid;
        }
    }
    return chain.container.pod_namespace + "/(unknown)";
}

// Whether the sensor still knows the container side's process as one of that
// container's: then it can be the chain's subject. The sensor forgets an
// exited process soon (the window is far longer), and a pid reused since then
// may now be another container's, which would misname the chain's container.
bool subject_still_there(const vigil::Host &host, const Finding &container)
{
    if (container.pid == 0 || container.container_id.empty()) {
        return false;
    }
    const auto *process = host.find_process(container.pid);
    if (process == nullptr) {
        return false;
    }
    const auto *found = host.find_container(process->cgroup_id);
    return found != nullptr && found->id != nullptr && container.container_id == found->id;
}

} // namespace

void SaAbuseDetector::alert_chain(const vigil::Event &event, const Chain &chain)
{
    const auto &row = rule_table.at(Rule::chain);
    const Finding &container = chain.container;
    const Finding &audit = chain.audit;
    const auto seconds_apart = chain.apart_ns / 1'000'000'000ull;
    std::string summary = "Chain on pod " + pod_label(chain) + ": " + container.rule + " (" + container.summary +
                          ") and service account " + audit.account + " " + audit.rule + " within " +
                          std::to_string(seconds_apart) + " s";
    auto tactics = union_of(all_tactics(), container.tactics, audit.tactics);
    auto techniques = union_of(all_techniques(), container.techniques, audit.techniques);

    const std::string &pod_uid = !container.pod_uid.empty() ? container.pod_uid : audit.pod_uid;
    const std::string joined_by = chain.by_pod ? "pod_uid" : "service_account";
    EvidenceFields evidence;
    if (!pod_uid.empty()) {
        evidence.string("pod_uid", pod_uid);
    }
    evidence.string("service_account", audit.account);
    evidence.unsigned_value("seconds_apart", seconds_apart);
    evidence.string("joined_by", joined_by);
    evidence.string("container.rule", container.rule);
    evidence.string("container.summary", container.summary);
    evidence.string("container.plugin", container.plugin);
    evidence.string("container.container_id", container.container_id);
    evidence.string("container.finding_key", container.finding_key);
    evidence.string("container.exe", container.exe);
    if (container.pid != 0) {
        evidence.unsigned_value("container.pid", container.pid);
    }
    evidence.string("audit.rule", audit.rule);
    evidence.string("audit.summary", audit.summary);
    for (const auto &field : container.evidence) {
        evidence.copied("container", field);
    }
    for (const auto &field : audit.evidence) {
        evidence.copied("audit", field);
    }

    vigil_alert_request request{};
    request.struct_size = sizeof(request);
    request.rule = row.id;
    request.severity = row.severity; // critical, the highest: whatever either side's was
    request.summary = summary.c_str();
    request.tactics = tactics.data();
    request.tactic_count = static_cast<uint32_t>(tactics.size());
    request.techniques = techniques.data();
    request.technique_count = static_cast<uint32_t>(techniques.size());
    // The container side's process makes the sensor name the broken-into
    // container and its pod, whichever side completed the chain; neither an
    // audit event nor a raised alert carries a process of its own. Without
    // it, the event being handled (the evidence still names pod and container).
    if (subject_still_there(host(), container)) {
        request.subject_tgid = container.pid;
    } else {
        request.event = event.raw();
    }
    request.evidence = evidence.fields().data();
    request.evidence_count = static_cast<uint32_t>(evidence.fields().size());
    request.dedup_key = chain.key.c_str();
    host().emit(request);
}

} // namespace vigil_sa_abuse
