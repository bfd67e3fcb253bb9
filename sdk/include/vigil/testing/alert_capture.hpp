// SPDX-License-Identifier: Apache-2.0
// What the fake host does with emit_alert: copies each alert the way the
// sensor does (core/alerts/alert_from_request.cpp and the checks of
// SensorServices::emit_alert), so that a plugin test sees what the sensor
// would deliver.
//
// As strict as the sensor and no stricter: an alert is refused (-EINVAL) only
// when the sensor refuses it, that is without a request or a rule id. Whatever
// else the sensor accepts but warns about, clamps, cuts or drops (an
// undeclared tactic, an empty summary, a severity above critical, an evidence
// field without a key...) is recorded as the sensor would record it, with a
// lint line saying what was wrong. A test can inspect those lines; they also
// count as problems, which plugin tests check are empty, so a mistake still
// fails loudly there.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/bpf/event.h>
#include <vigil/plugin_abi.h>
#include <vigil/testing/plugin_under_test.hpp>

namespace vigil::testing {

// An alert the plugin raised, deep-copied.
struct RecordedAlert {
    std::string rule;
    vigil_severity severity = VIGIL_SEVERITY_INFO;
    std::string summary;
    std::vector<std::string> tactics;    // ids, in the order given
    std::vector<std::string> techniques; // ids
    // Every evidence value as text: strings as they are, numbers in decimal,
    // booleans "true"/"false", lists as ["a", "b"]. Lists also in evidence_lists.
    std::map<std::string, std::string> evidence;
    std::map<std::string, uint32_t> evidence_types; // enum vigil_evidence_type
    std::map<std::string, std::vector<std::string>> evidence_lists;
    std::optional<std::string> dedup_key;
    bool has_event = false; // raised from an event (process and container come from it)
    uint32_t event_kind = 0;
    uint32_t event_tgid = 0;   // the header's tgid of that event
    uint32_t subject_tgid = 0; // without an event

    bool has_evidence(const std::string &key) const { return evidence.contains(key); }
    const std::string &evidence_at(const std::string &key) const
    {
        auto found = evidence.find(key);
        if (found == evidence.end()) {
            throw std::out_of_range("alert " + rule + " has no evidence " + key);
        }
        return found->second;
    }
};

// The bounds the sensor puts on one alert, so that a runaway plugin cannot
// make it copy unbounded data: beyond them it drops entries and cuts strings.
// The same numbers as core/alerts/alert_from_request.cpp.
struct SensorAlertBounds {
    static constexpr uint32_t attack_refs = 16; // tactics, and techniques
    static constexpr uint32_t evidence_fields = 64;
    static constexpr uint32_t list_items = 256;
    static constexpr std::size_t string_bytes = 8 * 1024;
};

class AlertCapture {
public:
    // @descriptor names the rule ids' prefix and declares the tactics and
    // techniques; every refusal and lint line is also appended to @problems.
    AlertCapture(const vigil_plugin_descriptor &descriptor, std::vector<std::string> &problems)
        : prefix_(std::string(descriptor.name) + "."), problems_(problems)
    {
        // One set for both, as the sensor keeps it: it warns only about an id it never saw declared.
        for (const auto *ref : abi_elements(descriptor.tactics, descriptor.tactic_count)) {
            declared_.insert(ref->id != nullptr ? ref->id : "");
        }
        for (const auto *ref : abi_elements(descriptor.techniques, descriptor.technique_count)) {
            declared_.insert(ref->id != nullptr ? ref->id : "");
        }
    }

    AlertCapture(const AlertCapture &) = delete;
    AlertCapture &operator=(const AlertCapture &) = delete;

    // Copies @request as the sensor would; returns what emit_alert returns.
    // @current_event is the event being delivered (nullptr outside on_event):
    // the sensor takes an alert's process and container only from that one.
    int capture(const vigil_alert_request *request, const vigil_event *current_event)
    {
        if (request == nullptr) {
            problems_.push_back("emit_alert without a request");
            return -EINVAL;
        }
        if (request->struct_size < sizeof(uint32_t) || request->rule == nullptr) {
            problems_.push_back("alert refused: the request has no rule id");
            return -EINVAL;
        }
        auto known = abi_copy(request); // fields of an older minor's request read as zero
        RecordedAlert alert;
        rule_.clear();
        alert.rule = copy_string(known.rule, "the rule id");
        rule_ = alert.rule;
        if (!alert.rule.starts_with(prefix_) || alert.rule.size() == prefix_.size()) {
            lint("the rule id should be \"" + prefix_ + "<name>\"");
        }
        if (known.severity > VIGIL_SEVERITY_CRITICAL) {
            lint("unknown severity " + std::to_string(known.severity) + ", which the sensor reads as critical");
        }
        alert.severity = static_cast<vigil_severity>(std::min<uint32_t>(known.severity, VIGIL_SEVERITY_CRITICAL));
        alert.summary = copy_string(known.summary, "the summary");
        if (alert.summary.empty()) {
            lint("no summary");
        }
        alert.tactics = copy_attack_refs(known.tactics, known.tactic_count, "tactic");
        alert.techniques = copy_attack_refs(known.techniques, known.technique_count, "technique");
        copy_evidence(known.evidence, known.evidence_count, alert);
        if (known.dedup_key != nullptr) {
            alert.dedup_key = copy_string(known.dedup_key, "the dedup key");
        }
        if (known.event != nullptr && known.event == current_event) {
            alert.has_event = true;
            alert.event_kind = current_event->kind;
            if (current_event->record != nullptr && current_event->record_size >= sizeof(vigil_event_header)) {
                vigil_event_header header{};
                std::memcpy(&header, current_event->record, sizeof(header));
                alert.event_tgid = header.tgid;
            }
        } else if (known.event != nullptr) {
            lint("its event is not the one being delivered: the sensor ignores it and takes subject_tgid");
        }
        alert.subject_tgid = known.subject_tgid;
        alerts_.push_back(std::move(alert));
        return 0;
    }

    std::vector<RecordedAlert> &alerts() { return alerts_; }
    const std::vector<RecordedAlert> &alerts() const { return alerts_; }
    void clear() { alerts_.clear(); }
    // What the sensor would have warned about, clamped, cut or dropped, one line each, oldest first.
    const std::vector<std::string> &lint() const { return lint_; }

private:
    void lint(const std::string &why)
    {
        lint_.push_back("alert " + (rule_.empty() ? std::string("?") : rule_) + ": " + why);
        problems_.push_back(lint_.back());
    }

    // At most SensorAlertBounds::string_bytes of @text; NULL reads as "".
    std::string copy_string(const char *text, std::string_view what)
    {
        if (text == nullptr) {
            return {};
        }
        auto length = strnlen(text, SensorAlertBounds::string_bytes);
        if (length == SensorAlertBounds::string_bytes && text[length] != '\0') {
            lint(std::string(what) + " is cut to " + std::to_string(length) + " bytes");
        }
        return std::string(text, length);
    }

    // Whether the sensor can step through an ABI array: it exists, and its first
    // element's struct_size is at least the size field itself.
    template <class T> bool usable(const T *array, uint32_t count, std::string_view what)
    {
        if (count == 0) {
            return false;
        }
        if (array == nullptr || array->struct_size < sizeof(uint32_t)) {
            lint(std::to_string(count) + " " + std::string(what) + " given without a usable array: none are kept");
            return false;
        }
        return true;
    }

    uint32_t bounded(uint32_t count, uint32_t bound, std::string_view what)
    {
        if (count > bound) {
            lint(std::to_string(count) + " " + std::string(what) + ", of which the sensor keeps the first " +
                 std::to_string(bound));
        }
        return std::min(count, bound);
    }

    std::vector<std::string> copy_attack_refs(const vigil_attack_ref *refs, uint32_t count, const std::string &what)
    {
        std::vector<std::string> ids;
        if (!usable(refs, count, what + "s")) {
            return ids;
        }
        count = bounded(count, SensorAlertBounds::attack_refs, what + "s");
        for (uint32_t index = 0; index < count; ++index) {
            auto ref = abi_copy(abi_array_at(refs, index));
            auto id = copy_string(ref.id, what + " id");
            if (!declared_.contains(id)) {
                lint(what + " \"" + id + "\" is not in the descriptor (the sensor warns)");
            }
            ids.push_back(std::move(id));
        }
        return ids;
    }

    void copy_evidence(const vigil_evidence_field *fields, uint32_t count, RecordedAlert &alert)
    {
        if (!usable(fields, count, "evidence fields")) {
            return;
        }
        count = bounded(count, SensorAlertBounds::evidence_fields, "evidence fields");
        for (uint32_t index = 0; index < count; ++index) {
            auto field = abi_copy(abi_array_at(fields, index));
            auto key = copy_string(field.key, "an evidence key");
            // A field without a key cannot be rendered, and a repeated key would
            // make the evidence object ambiguous: the sensor keeps the first.
            if (key.empty()) {
                lint("an evidence field without a key is dropped");
                continue;
            }
            if (alert.evidence.contains(key)) {
                lint("evidence " + key + " is given twice; the first is kept");
                continue;
            }
            if (!copy_value(field, key, alert)) {
                lint("evidence " + key + " has an unknown type " + std::to_string(field.type) + " and is dropped");
                continue;
            }
            alert.evidence_types[key] = field.type;
        }
    }

    bool copy_value(const vigil_evidence_field &field, const std::string &key, RecordedAlert &alert)
    {
        switch (field.type) {
        case VIGIL_EVIDENCE_STRING:
            if (field.string_value == nullptr) {
                lint("evidence " + key + " has no string, rendered as \"\"");
            }
            alert.evidence[key] = copy_string(field.string_value, "evidence " + key);
            return true;
        case VIGIL_EVIDENCE_INTEGER:
            alert.evidence[key] = std::to_string(field.integer_value);
            return true;
        case VIGIL_EVIDENCE_UNSIGNED:
            alert.evidence[key] = std::to_string(field.unsigned_value);
            return true;
        case VIGIL_EVIDENCE_BOOL:
            alert.evidence[key] = field.integer_value != 0 ? "true" : "false";
            return true;
        case VIGIL_EVIDENCE_STRING_LIST: {
            std::vector<std::string> items;
            if (field.list_values == nullptr && field.list_count > 0) {
                lint("evidence " + key + " has " + std::to_string(field.list_count) + " items but no list");
            }
            auto count = field.list_values == nullptr
                             ? 0u
                             : bounded(field.list_count, SensorAlertBounds::list_items, "items in evidence " + key);
            std::string text = "[";
            for (uint32_t index = 0; index < count; ++index) {
                if (field.list_values[index] == nullptr) {
                    lint("evidence " + key + " has a missing list item, rendered as \"\"");
                }
                items.push_back(copy_string(field.list_values[index], "an item of evidence " + key));
                text += (index > 0 ? ", \"" : "\"") + items.back() + "\"";
            }
            alert.evidence[key] = text + "]";
            alert.evidence_lists[key] = std::move(items);
            return true;
        }
        default:
            return false; // a type from a newer ABI the sensor cannot render
        }
    }

    std::string prefix_;
    std::vector<std::string> &problems_;
    std::set<std::string, std::less<>> declared_;
    std::string rule_; // of the alert being copied, for lint lines
    std::vector<RecordedAlert> alerts_;
    std::vector<std::string> lint_;
};

} // namespace vigil::testing
