// SPDX-License-Identifier: Apache-2.0
#include "hec_event.hpp"

#include <cinttypes>
#include <cstdio>
#include <string_view>

#include <vigil/json_text.hpp>
#include <vigil/severity.hpp>

namespace vigil_splunk_hec {
namespace {

// Epoch seconds with milliseconds, the collector's documented "<sec>.<ms>".
void append_time(std::string &out, uint64_t unix_ns)
{
    char text[32];
    std::snprintf(text, sizeof(text), "%" PRIu64 ".%03" PRIu64, unix_ns / 1000000000u,
                  (unix_ns % 1000000000u) / 1000000u);
    out += text;
}

void append_member(std::string &out, std::string_view key, std::string_view value)
{
    out += ',';
    vigil::json::append_string(out, key);
    out += ':';
    vigil::json::append_string(out, value);
}

// An indexed field is flat: one string, or an array of strings (multivalue).
void append_ids(std::string &out, std::string_view key, const vigil_attack_ref *refs, uint32_t count)
{
    if (count == 0) {
        return;
    }
    out += ',';
    vigil::json::append_string(out, key);
    out += ":[";
    for (uint32_t index = 0; index < count; ++index) {
        if (index > 0) {
            out += ',';
        }
        vigil::json::append_string(out, refs[index].id != nullptr ? refs[index].id : "");
    }
    out += ']';
}

bool set(const char *text)
{
    return text != nullptr && *text != '\0';
}

} // namespace

void append_event(std::string &out, const vigil_alert &alert, const EventSettings &settings)
{
    out += "{\"time\":";
    append_time(out, alert.time_unix_ns);
    if (set(alert.node)) {
        append_member(out, "host", alert.node);
    }
    append_member(out, "source", "vigil");
    append_member(out, "sourcetype", settings.sourcetype);
    if (!settings.index.empty()) {
        append_member(out, "index", settings.index);
    }
    out += ",\"event\":";
    out.append(alert.json, alert.json_size);
    out += ",\"fields\":{\"rule\":";
    vigil::json::append_string(out, set(alert.rule) ? alert.rule : "");
    append_member(out, "severity", vigil::severity_name(alert.severity));
    append_ids(out, "mitre_tactic", alert.tactics, alert.tactic_count);
    append_ids(out, "mitre_technique", alert.techniques, alert.technique_count);
    if (set(alert.container_id)) {
        append_member(out, "container_id", alert.container_id);
    }
    if (set(alert.pod_uid)) {
        append_member(out, "pod_uid", alert.pod_uid);
    }
    out += "}}";
}

std::size_t append_batch(std::string &out, std::span<const vigil_alert *const> alerts, const EventSettings &settings)
{
    const std::size_t start = out.size();
    std::size_t taken = 0;
    for (const vigil_alert *alert : alerts) {
        const std::size_t before = out.size();
        if (taken > 0) {
            out += '\n'; // whitespace between events is allowed and keeps the body readable
        }
        append_event(out, *alert, settings);
        if (taken > 0 && out.size() - start > settings.max_batch_bytes) {
            out.resize(before); // this one goes into the next request
            break;
        }
        ++taken;
    }
    return taken;
}

} // namespace vigil_splunk_hec
