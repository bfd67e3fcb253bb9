// SPDX-License-Identifier: Apache-2.0
// What the fake host does with emit_alert: checks each alert and copies it,
// so that a plugin test can look at every alert the plugin raised. An alert
// the sensor would refuse is refused (-EINVAL) with a line in problems(): a
// rule id outside "<plugin>.", a tactic or technique the descriptor does not
// declare, a malformed evidence field.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
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

class AlertCapture {
public:
    // @descriptor names the rule ids' prefix and declares the tactics and
    // techniques; every refusal is appended to @problems.
    AlertCapture(const vigil_plugin_descriptor &descriptor, std::vector<std::string> &problems)
        : descriptor_(descriptor), problems_(problems)
    {
    }

    AlertCapture(const AlertCapture &) = delete;
    AlertCapture &operator=(const AlertCapture &) = delete;

    // Checks and copies @request; returns what emit_alert returns.
    int capture(const vigil_alert_request *request)
    {
        if (request == nullptr) {
            problems_.push_back("emit_alert without a request");
            return -EINVAL;
        }
        auto alert_request = abi_copy(request);
        std::string prefix = std::string(descriptor_.name) + ".";
        auto refuse = [&](const std::string &why) {
            problems_.push_back("alert " + std::string(alert_request.rule != nullptr ? alert_request.rule : "?") +
                                " refused: " + why);
            return -EINVAL;
        };
        if (alert_request.rule == nullptr || !std::string_view(alert_request.rule).starts_with(prefix) ||
            std::strlen(alert_request.rule) == prefix.size()) {
            return refuse("the rule id must be \"" + prefix + "<name>\"");
        }
        if (alert_request.severity > VIGIL_SEVERITY_CRITICAL) {
            return refuse("unknown severity " + std::to_string(alert_request.severity));
        }
        if (alert_request.summary == nullptr || alert_request.summary[0] == '\0') {
            return refuse("no summary");
        }
        RecordedAlert alert;
        alert.rule = alert_request.rule;
        alert.severity = static_cast<vigil_severity>(alert_request.severity);
        alert.summary = alert_request.summary;
        for (const auto *tactic : abi_elements(alert_request.tactics, alert_request.tactic_count)) {
            if (!declared(descriptor_.tactics, descriptor_.tactic_count, tactic->id)) {
                return refuse(std::string("tactic ") + (tactic->id ? tactic->id : "?") + " is not in the descriptor");
            }
            alert.tactics.emplace_back(tactic->id);
        }
        for (const auto *technique : abi_elements(alert_request.techniques, alert_request.technique_count)) {
            if (!declared(descriptor_.techniques, descriptor_.technique_count, technique->id)) {
                return refuse(std::string("technique ") + (technique->id ? technique->id : "?") +
                              " is not in the descriptor");
            }
            alert.techniques.emplace_back(technique->id);
        }
        for (const auto *field : abi_elements(alert_request.evidence, alert_request.evidence_count)) {
            if (field->key == nullptr || field->key[0] == '\0') {
                return refuse("an evidence field without a key");
            }
            std::string key = field->key;
            if (alert.evidence.contains(key)) {
                return refuse("evidence " + key + " given twice");
            }
            alert.evidence_types[key] = field->type;
            switch (field->type) {
            case VIGIL_EVIDENCE_STRING:
                if (field->string_value == nullptr) {
                    return refuse("evidence " + key + " has no string");
                }
                alert.evidence[key] = field->string_value;
                break;
            case VIGIL_EVIDENCE_INTEGER:
                alert.evidence[key] = std::to_string(field->integer_value);
                break;
            case VIGIL_EVIDENCE_UNSIGNED:
                alert.evidence[key] = std::to_string(field->unsigned_value);
                break;
            case VIGIL_EVIDENCE_BOOL:
                alert.evidence[key] = field->integer_value != 0 ? "true" : "false";
                break;
            case VIGIL_EVIDENCE_STRING_LIST: {
                std::vector<std::string> items;
                std::string text = "[";
                for (uint32_t index = 0; index < field->list_count; ++index) {
                    if (field->list_values == nullptr || field->list_values[index] == nullptr) {
                        return refuse("evidence " + key + " has a missing list item");
                    }
                    items.emplace_back(field->list_values[index]);
                    text += (index > 0 ? ", \"" : "\"") + items.back() + "\"";
                }
                alert.evidence[key] = text + "]";
                alert.evidence_lists[key] = std::move(items);
                break;
            }
            default:
                return refuse("evidence " + key + " has an unknown type");
            }
        }
        if (alert_request.dedup_key != nullptr) {
            alert.dedup_key = alert_request.dedup_key;
        }
        if (alert_request.event != nullptr) {
            alert.has_event = true;
            alert.event_kind = alert_request.event->kind;
            if (alert_request.event->record != nullptr &&
                alert_request.event->record_size >= sizeof(vigil_event_header)) {
                vigil_event_header header{};
                std::memcpy(&header, alert_request.event->record, sizeof(header));
                alert.event_tgid = header.tgid;
            }
        }
        alert.subject_tgid = alert_request.subject_tgid;
        alerts_.push_back(std::move(alert));
        return 0;
    }

    std::vector<RecordedAlert> &alerts() { return alerts_; }
    const std::vector<RecordedAlert> &alerts() const { return alerts_; }
    void clear() { alerts_.clear(); }

private:
    static bool declared(const vigil_attack_ref *list, uint32_t count, const char *id)
    {
        for (const auto *ref : abi_elements(list, count)) {
            if (ref->id != nullptr && id != nullptr && std::strcmp(ref->id, id) == 0) {
                return true;
            }
        }
        return false;
    }

    const vigil_plugin_descriptor &descriptor_;
    std::vector<std::string> &problems_;
    std::vector<RecordedAlert> alerts_;
};

} // namespace vigil::testing
