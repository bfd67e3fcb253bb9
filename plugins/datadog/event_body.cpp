// SPDX-License-Identifier: Apache-2.0
#include "event_body.hpp"

#include <vigil/output_text.hpp>

#include "tags.hpp"

namespace vigil_datadog {
namespace {

using vigil::json::append_string;
using vigil::json::string_at;

std::string_view or_empty(const char *text)
{
    return text != nullptr ? text : "";
}

} // namespace

std::string_view event_alert_type(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
    case VIGIL_SEVERITY_HIGH:
        return "error";
    case VIGIL_SEVERITY_MEDIUM:
        return "warning";
    default:
        return "info";
    }
}

std::string event_aggregation_key(const vigil_alert &alert, const Formatting &formatting)
{
    std::string key(or_empty(alert.rule));
    key += ':';
    if (alert.container_id != nullptr && alert.container_id[0] != '\0') {
        key += alert.container_id;
    } else {
        key += "host:";
        key += host_of(alert, formatting);
    }
    return vigil::text::bounded_key(key, event_max_aggregation_key);
}

std::string event_text(const vigil_alert &alert)
{
    const std::string_view json(or_empty(alert.json).data(), alert.json != nullptr ? alert.json_size : 0);
    std::string text(or_empty(alert.summary));
    text += "\n\nrule: ";
    text += or_empty(alert.rule);
    text += "\nseverity: ";
    text += severity_name(alert.severity);
    for (uint32_t index = 0; index < alert.tactic_count; ++index) {
        text += index == 0 ? "\ntactics: " : ", ";
        text += or_empty(alert.tactics[index].id);
        text += ' ';
        text += or_empty(alert.tactics[index].name);
    }
    for (uint32_t index = 0; index < alert.technique_count; ++index) {
        text += index == 0 ? "\ntechniques: " : ", ";
        text += or_empty(alert.techniques[index].id);
        text += ' ';
        text += or_empty(alert.techniques[index].name);
    }
    if (alert.pid != 0 || (alert.exe != nullptr && alert.exe[0] != '\0')) {
        text += "\nprocess: ";
        text += or_empty(alert.exe);
        text += " (pid ";
        text += std::to_string(alert.pid);
        text += ')';
    }
    if (alert.container_id != nullptr && alert.container_id[0] != '\0') {
        text += "\ncontainer: ";
        text += alert.container_id;
    }
    auto pod = string_at(json, {"k8s", "pod"});
    auto pod_namespace = string_at(json, {"k8s", "namespace"});
    if (pod && !pod->empty()) {
        text += "\npod: ";
        if (pod_namespace && !pod_namespace->empty()) {
            text += *pod_namespace + "/";
        }
        text += *pod;
    }
    if (alert.node != nullptr && alert.node[0] != '\0') {
        text += "\nnode: ";
        text += alert.node;
    }
    if (alert.repeat_count > 0) {
        text += "\nrepeated: ";
        text += std::to_string(alert.repeat_count);
        text += " more times";
    }
    text += "\n\n";
    text += json;
    // Bytes bound characters: at most 4000 bytes is at most 4000 characters.
    text.resize(vigil::json::utf8_prefix(text, event_max_text_chars).size());
    return text;
}

std::string event_body(const vigil_alert &alert, const Formatting &formatting)
{
    std::string title("[vigil] ");
    title += or_empty(alert.summary).empty() ? or_empty(alert.rule) : or_empty(alert.summary);
    title.resize(vigil::json::utf8_prefix(title, event_max_title_bytes).size());

    std::string body("{\"title\":");
    append_string(body, title);
    body += ",\"text\":";
    append_string(body, event_text(alert));
    body += ",\"alert_type\":";
    append_string(body, event_alert_type(alert.severity));
    body += ",\"priority\":";
    append_string(body, alert.severity >= VIGIL_SEVERITY_HIGH ? "normal" : "low");
    body += ",\"tags\":[";
    bool first = true;
    for (const auto &tag : alert_tags(alert, formatting)) {
        if (!first) {
            body += ',';
        }
        first = false;
        append_string(body, tag);
    }
    body += "],\"aggregation_key\":";
    append_string(body, event_aggregation_key(alert, formatting));
    body += ",\"source_type_name\":";
    append_string(body, formatting.source);
    body += ",\"host\":";
    append_string(body, host_of(alert, formatting));
    body += ",\"date_happened\":";
    body += std::to_string(alert.time_unix_ns / 1'000'000'000ULL);
    body += '}';
    return body;
}

} // namespace vigil_datadog
