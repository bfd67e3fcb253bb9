// SPDX-License-Identifier: Apache-2.0
// Copying a detector's vigil_alert_request into an Alert. The request comes
// from a plugin that may have been built against an older ABI minor (smaller
// structs) or simply be careless (NULL strings, NULL arrays), so every read is
// checked here and nothing the plugin passed is referenced afterwards.
#include <algorithm>
#include <cstring>

#include <vigil/abi_support.hpp>

#include "core/alerts/alert.hpp"

namespace vigil::alerts {
namespace {

// Bounds on what one alert may carry, so that a runaway plugin cannot make the
// sensor copy (and every output ship) unbounded data. Beyond them, entries are
// dropped and strings truncated.
constexpr uint32_t max_attack_refs = 16;
constexpr uint32_t max_evidence_fields = 64;
constexpr uint32_t max_list_items = 256;
constexpr std::size_t max_string_bytes = 8 * 1024;

std::string copy_string(const char *text)
{
    if (text == nullptr) {
        return {};
    }
    return std::string(text, strnlen(text, max_string_bytes));
}

// An ABI array is usable when it exists and its first element's struct_size
// can step through it: a stride smaller than the size field itself would make
// every index read the same bytes.
template <class T> bool usable_array(const T *array, uint32_t count)
{
    return array != nullptr && count > 0 && array->struct_size >= sizeof(uint32_t);
}

std::vector<AttackRef> copy_attack_refs(const vigil_attack_ref *refs, uint32_t count)
{
    std::vector<AttackRef> copies;
    if (!usable_array(refs, count)) {
        return copies;
    }
    count = std::min(count, max_attack_refs);
    copies.reserve(count);
    for (uint32_t index = 0; index < count; ++index) {
        auto ref = abi_copy(abi_array_at(refs, index));
        copies.push_back(AttackRef{copy_string(ref.id), copy_string(ref.name)});
    }
    return copies;
}

std::vector<std::string> copy_list(const char *const *values, uint32_t count)
{
    std::vector<std::string> items;
    if (values == nullptr) {
        return items;
    }
    count = std::min(count, max_list_items);
    items.reserve(count);
    for (uint32_t index = 0; index < count; ++index) {
        items.push_back(copy_string(values[index]));
    }
    return items;
}

std::optional<EvidenceValue> copy_value(const vigil_evidence_field &field)
{
    switch (field.type) {
    case VIGIL_EVIDENCE_STRING:
        return EvidenceValue{copy_string(field.string_value)};
    case VIGIL_EVIDENCE_INTEGER:
        return EvidenceValue{field.integer_value};
    case VIGIL_EVIDENCE_UNSIGNED:
        return EvidenceValue{field.unsigned_value};
    case VIGIL_EVIDENCE_BOOL:
        return EvidenceValue{field.integer_value != 0};
    case VIGIL_EVIDENCE_STRING_LIST:
        return EvidenceValue{copy_list(field.list_values, field.list_count)};
    default:
        // A type from a newer ABI this sensor cannot render.
        return std::nullopt;
    }
}

bool has_key(const std::vector<EvidenceField> &evidence, std::string_view key)
{
    return std::any_of(evidence.begin(), evidence.end(), [key](const auto &field) { return field.key == key; });
}

std::vector<EvidenceField> copy_evidence(const vigil_evidence_field *fields, uint32_t count)
{
    std::vector<EvidenceField> evidence;
    if (!usable_array(fields, count)) {
        return evidence;
    }
    count = std::min(count, max_evidence_fields);
    evidence.reserve(count);
    for (uint32_t index = 0; index < count; ++index) {
        auto field = abi_copy(abi_array_at(fields, index));
        auto key = copy_string(field.key);
        // A field without a key cannot be rendered, and a repeated key would
        // make the evidence object ambiguous: the first one wins.
        if (key.empty() || has_key(evidence, key)) {
            continue;
        }
        if (auto value = copy_value(field)) {
            evidence.push_back(EvidenceField{std::move(key), std::move(*value)});
        }
    }
    return evidence;
}

// A value above critical (from a newer ABI, or a bug) is read as critical:
// overstating keeps it from being filtered out by a minimum-severity route.
vigil_severity clamp_severity(uint32_t severity)
{
    return static_cast<vigil_severity>(std::min<uint32_t>(severity, VIGIL_SEVERITY_CRITICAL));
}

} // namespace

Alert alert_from_request(const vigil_alert_request &request, std::string_view plugin_name)
{
    // Fields the plugin's (older) struct did not have read as zero.
    auto known = abi_copy(&request);

    Alert alert;
    alert.rule = copy_string(known.rule);
    alert.plugin = std::string(plugin_name);
    alert.severity = clamp_severity(known.severity);
    alert.summary = copy_string(known.summary);
    alert.tactics = copy_attack_refs(known.tactics, known.tactic_count);
    alert.techniques = copy_attack_refs(known.techniques, known.technique_count);
    alert.evidence = copy_evidence(known.evidence, known.evidence_count);
    alert.dedup_key = copy_string(known.dedup_key);
    return alert;
}

} // namespace vigil::alerts
