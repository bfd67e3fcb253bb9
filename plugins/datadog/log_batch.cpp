// SPDX-License-Identifier: Apache-2.0
#include "log_batch.hpp"

#include <vigil/output_text.hpp>

#include "tags.hpp"

namespace vigil_datadog {
namespace {

using vigil::json::append_string;

// The reserved attributes, left open for more members.
void append_reserved(std::string &entry, const vigil_alert &alert, const Formatting &formatting,
                     std::string_view message)
{
    entry += "{\"message\":";
    append_string(entry, message);
    entry += ",\"ddsource\":";
    append_string(entry, formatting.source);
    entry += ",\"ddtags\":";
    std::string joined;
    for (const auto &tag : alert_tags(alert, formatting)) {
        if (!joined.empty()) {
            joined += ',';
        }
        joined += tag;
    }
    append_string(entry, joined);
    entry += ",\"hostname\":";
    append_string(entry, host_of(alert, formatting));
    entry += ",\"service\":";
    append_string(entry, formatting.service);
    entry += ",\"status\":";
    append_string(entry, log_status(alert.severity));
    // Epoch milliseconds: an attribute the intake takes as the log's date.
    entry += ",\"timestamp\":";
    entry += std::to_string(alert.time_unix_ns / 1'000'000);
}

std::string_view message_of(const vigil_alert &alert)
{
    if (alert.summary != nullptr && alert.summary[0] != '\0') {
        return alert.summary;
    }
    return alert.rule != nullptr ? alert.rule : "vigil alert";
}

} // namespace

std::string_view log_status(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
        return "critical";
    case VIGIL_SEVERITY_HIGH:
        return "error";
    case VIGIL_SEVERITY_MEDIUM:
        return "warning";
    case VIGIL_SEVERITY_LOW:
        return "notice";
    default:
        return "info";
    }
}

std::string log_entry(const vigil_alert &alert, const Formatting &formatting, std::size_t max_entry_bytes)
{
    std::string entry;
    const std::string_view json(alert.json != nullptr ? alert.json : "", alert.json != nullptr ? alert.json_size : 0);
    append_reserved(entry, alert, formatting, message_of(alert));
    // The alert's members follow the reserved ones: "{...}" loses its opening brace.
    const bool object = json.size() >= 2 && json.front() == '{' && json.back() == '}';
    std::string_view members = object ? json.substr(1, json.size() - 2) : std::string_view();
    while (!members.empty() && (members.front() == ' ' || members.front() == '\n')) {
        members.remove_prefix(1);
    }
    if (!members.empty() && entry.size() + 1 + members.size() + 1 <= max_entry_bytes) {
        entry += ',';
        entry += members;
        entry += '}';
        return entry;
    }
    if (members.empty()) {
        entry += '}';
        if (entry.size() <= max_entry_bytes) {
            return entry;
        }
    }
    // Too large whole: what identifies the alert, and a message cut to leave room.
    entry.clear();
    const std::size_t message_room = max_entry_bytes / 2;
    append_reserved(entry, alert, formatting, vigil::json::utf8_prefix(message_of(alert), message_room));
    entry += ",\"rule\":";
    append_string(entry, alert.rule != nullptr ? alert.rule : "");
    entry += ",\"plugin\":";
    append_string(entry, alert.plugin != nullptr ? alert.plugin : "");
    entry += ",\"severity\":";
    append_string(entry, severity_name(alert.severity));
    entry += ",\"time\":";
    append_string(entry, vigil::text::iso8601_utc_ms(alert.time_unix_ns));
    entry += ",\"vigil_truncated\":true}";
    return entry;
}

std::size_t format_log_batch(std::span<const vigil_alert *const> alerts, const Formatting &formatting,
                             std::string &body, std::size_t max_request_bytes, std::size_t max_entries)
{
    body.clear();
    body += '[';
    std::size_t taken = 0;
    for (const vigil_alert *alert : alerts) {
        if (taken == max_entries) {
            break;
        }
        auto entry = log_entry(*alert, formatting);
        // Room for a comma before it and the closing bracket after it.
        const std::size_t needed = entry.size() + (taken > 0 ? 1 : 0) + 1;
        if (taken > 0 && body.size() + needed > max_request_bytes) {
            break;
        }
        if (taken > 0) {
            body += ',';
        }
        body += entry;
        ++taken;
    }
    body += ']';
    return taken;
}

} // namespace vigil_datadog
