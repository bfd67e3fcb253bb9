// SPDX-License-Identifier: Apache-2.0
// Building an alert without heap allocation: fixed room for tactics,
// techniques and evidence, strings referenced (not copied) until emit().
#pragma once

#include <array>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <span>

#include <vigil/host.hpp>
#include <vigil/plugin_abi.h>

namespace vigil {

class Alert {
public:
    static constexpr std::size_t max_tactics = 4;
    static constexpr std::size_t max_techniques = 6;
    static constexpr std::size_t max_evidence = 24;

    // @rule must outlive emit(): a string literal, as rule ids are.
    Alert(const char *rule, vigil_severity severity) : rule_(rule), severity_(severity) {}

    Alert(const Alert &) = delete;
    Alert &operator=(const Alert &) = delete;

    __attribute__((format(printf, 2, 3))) Alert &summary(const char *format, ...)
    {
        va_list arguments;
        va_start(arguments, format);
        std::vsnprintf(summary_.data(), summary_.size(), format, arguments);
        va_end(arguments);
        return *this;
    }

    Alert &tactic(const vigil_attack_ref &tactic)
    {
        if (tactic_count_ < max_tactics) {
            tactics_[tactic_count_++] = tactic;
        }
        return *this;
    }
    Alert &technique(const vigil_attack_ref &technique)
    {
        if (technique_count_ < max_techniques) {
            techniques_[technique_count_++] = technique;
        }
        return *this;
    }
    // Every tactic and technique of a rule at once, e.g. from its row in a vigil::RuleTable.
    Alert &attack(std::span<const vigil_attack_ref> tactics, std::span<const vigil_attack_ref> techniques)
    {
        for (const auto &ref : tactics) {
            tactic(ref);
        }
        for (const auto &ref : techniques) {
            technique(ref);
        }
        return *this;
    }
    Alert &event(const Event &event)
    {
        event_ = event.raw();
        return *this;
    }
    Alert &subject(uint32_t tgid)
    {
        subject_tgid_ = tgid;
        return *this;
    }
    Alert &dedup_key(const char *key)
    {
        dedup_key_ = key;
        return *this;
    }

    // Evidence. Strings are referenced, so they must outlive emit().
    Alert &evidence(const char *key, const char *value)
    {
        if (auto *field = next_field(key, VIGIL_EVIDENCE_STRING)) {
            field->string_value = value != nullptr ? value : "";
        }
        return *this;
    }
    Alert &evidence(const char *key, int64_t value)
    {
        if (auto *field = next_field(key, VIGIL_EVIDENCE_INTEGER)) {
            field->integer_value = value;
        }
        return *this;
    }
    Alert &evidence(const char *key, int value) { return evidence(key, static_cast<int64_t>(value)); }
    Alert &evidence(const char *key, uint64_t value)
    {
        if (auto *field = next_field(key, VIGIL_EVIDENCE_UNSIGNED)) {
            field->unsigned_value = value;
        }
        return *this;
    }
    Alert &evidence(const char *key, uint32_t value) { return evidence(key, static_cast<uint64_t>(value)); }
    Alert &evidence_bool(const char *key, bool value)
    {
        if (auto *field = next_field(key, VIGIL_EVIDENCE_BOOL)) {
            field->integer_value = value ? 1 : 0;
        }
        return *this;
    }
    // @values must outlive emit().
    Alert &evidence_list(const char *key, const char *const *values, uint32_t count)
    {
        if (auto *field = next_field(key, VIGIL_EVIDENCE_STRING_LIST)) {
            field->list_values = values;
            field->list_count = count;
        }
        return *this;
    }

    // Hands the alert to the sensor, which copies it. Returns 0 or a negative errno.
    int emit(const Host &host) const
    {
        vigil_alert_request request{};
        request.struct_size = sizeof(request);
        request.rule = rule_;
        request.severity = severity_;
        request.summary = summary_.data();
        request.tactics = tactics_.data();
        request.tactic_count = tactic_count_;
        request.techniques = techniques_.data();
        request.technique_count = technique_count_;
        request.event = event_;
        request.subject_tgid = subject_tgid_;
        request.evidence = evidence_.data();
        request.evidence_count = evidence_count_;
        request.dedup_key = dedup_key_;
        return host.emit(request);
    }

private:
    vigil_evidence_field *next_field(const char *key, vigil_evidence_type type)
    {
        if (evidence_count_ >= max_evidence) {
            return nullptr;
        }
        auto &field = evidence_[evidence_count_++];
        field = vigil_evidence_field{};
        field.struct_size = sizeof(field);
        field.key = key;
        field.type = type;
        return &field;
    }

    const char *rule_;
    vigil_severity severity_;
    std::array<char, 512> summary_{};
    std::array<vigil_attack_ref, max_tactics> tactics_{};
    uint32_t tactic_count_ = 0;
    std::array<vigil_attack_ref, max_techniques> techniques_{};
    uint32_t technique_count_ = 0;
    std::array<vigil_evidence_field, max_evidence> evidence_{};
    uint32_t evidence_count_ = 0;
    const vigil_event *event_ = nullptr;
    uint32_t subject_tgid_ = 0;
    const char *dedup_key_ = nullptr;
};

} // namespace vigil
