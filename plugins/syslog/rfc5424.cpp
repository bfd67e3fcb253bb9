// SPDX-License-Identifier: Apache-2.0
#include "rfc5424.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <vigil/severity.hpp>

namespace vigil_syslog {
namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";
constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD
// RFC 5424 section 6: the longest HOSTNAME, APP-NAME and MSGID.
constexpr std::size_t hostname_limit = 255;
constexpr std::size_t app_name_limit = 48;
constexpr std::size_t procid_limit = 128;
constexpr std::size_t msgid_limit = 32;
// In the element kept when the whole one does not fit.
constexpr std::size_t short_rule_limit = 32;

// The length of the valid UTF-8 sequence at @value[@at], or 0 if there is none.
std::size_t sequence_length(std::string_view value, std::size_t at)
{
    auto byte = [&](std::size_t offset) -> unsigned {
        return at + offset < value.size() ? static_cast<unsigned char>(value[at + offset]) : 0x100;
    };
    auto continuation = [&](std::size_t offset, unsigned low = 0x80, unsigned high = 0xBF) {
        return byte(offset) >= low && byte(offset) <= high;
    };
    unsigned first = byte(0);
    if (first < 0x80) {
        return 1;
    }
    if (first >= 0xC2 && first <= 0xDF) {
        return continuation(1) ? 2 : 0;
    }
    if (first >= 0xE0 && first <= 0xEF) {
        unsigned low = first == 0xE0 ? 0xA0 : 0x80;
        unsigned high = first == 0xED ? 0x9F : 0xBF; // no surrogates
        return continuation(1, low, high) && continuation(2) ? 3 : 0;
    }
    if (first >= 0xF0 && first <= 0xF4) {
        unsigned low = first == 0xF0 ? 0x90 : 0x80;
        unsigned high = first == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

// The alert JSON's name; a severity from a newer ABI reads as "info" here.
std::string_view severity_name(uint32_t severity)
{
    return vigil::severity_name(severity, "info");
}

void append_param(std::string &out, std::string_view name, std::string_view value)
{
    out += ' ';
    out += name;
    out += "=\"";
    append_param_value(out, value);
    out += '"';
}

std::string joined_ids(const vigil_attack_ref *refs, uint32_t count)
{
    std::string ids;
    for (uint32_t index = 0; index < count; ++index) {
        if (refs[index].id == nullptr) {
            continue;
        }
        if (!ids.empty()) {
            ids += ',';
        }
        ids += refs[index].id;
    }
    return ids;
}

std::string_view text(const char *value)
{
    return value != nullptr ? std::string_view(value) : std::string_view();
}

// The whole element: every field an alert has.
std::string full_element(const vigil_alert &alert)
{
    std::string element = "[";
    element += sd_id;
    append_param(element, "rule", text(alert.rule));
    append_param(element, "severity", severity_name(alert.severity));
    if (auto tactics = joined_ids(alert.tactics, alert.tactic_count); !tactics.empty()) {
        append_param(element, "tactic", tactics);
    }
    if (auto techniques = joined_ids(alert.techniques, alert.technique_count); !techniques.empty()) {
        append_param(element, "technique", techniques);
    }
    if (!text(alert.container_id).empty()) {
        append_param(element, "container", text(alert.container_id));
    }
    if (!text(alert.pod_uid).empty()) {
        append_param(element, "pod", text(alert.pod_uid));
    }
    if (alert.pid != 0) {
        append_param(element, "pid", std::to_string(alert.pid));
    }
    if (!text(alert.exe).empty()) {
        append_param(element, "exe", text(alert.exe));
    }
    if (alert.repeat_count > 0) {
        append_param(element, "repeat", std::to_string(alert.repeat_count));
    }
    return element;
}

// What is kept when the whole element leaves no room: the rule and severity.
std::string short_element(const vigil_alert &alert)
{
    std::string element = "[";
    element += sd_id;
    auto rule = text(alert.rule);
    append_param(element, "rule", rule.substr(0, utf8_prefix(rule, short_rule_limit)));
    append_param(element, "severity", severity_name(alert.severity));
    return element;
}

} // namespace

int syslog_severity(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
        return 2; // crit
    case VIGIL_SEVERITY_HIGH:
        return 3; // err
    case VIGIL_SEVERITY_MEDIUM:
        return 4; // warning
    case VIGIL_SEVERITY_LOW:
        return 5; // notice
    default:
        return 6; // info
    }
}

void append_timestamp(std::string &out, uint64_t unix_ns)
{
    std::time_t seconds = static_cast<std::time_t>(unix_ns / 1000000000ULL);
    auto micros = static_cast<unsigned>((unix_ns % 1000000000ULL) / 1000ULL);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[96];
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
    out += buffer;
}

std::string header_field(std::string_view value, std::size_t limit)
{
    if (value.empty()) {
        return "-";
    }
    std::string field(value.substr(0, limit));
    for (char &c : field) {
        if (c < 33 || c > 126) {
            c = '_';
        }
    }
    return field;
}

void append_param_value(std::string &out, std::string_view value)
{
    for (std::size_t at = 0; at < value.size();) {
        auto length = sequence_length(value, at);
        if (length == 0) {
            out += replacement;
            ++at;
            continue;
        }
        char c = value[at];
        if (length == 1 && (c == '"' || c == '\\' || c == ']')) {
            out += '\\';
        }
        out.append(value.substr(at, length));
        at += length;
    }
}

std::string valid_utf8(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (std::size_t at = 0; at < value.size();) {
        auto length = sequence_length(value, at);
        if (length == 0) {
            out += replacement;
            ++at;
            continue;
        }
        out.append(value.substr(at, length));
        at += length;
    }
    return out;
}

std::size_t utf8_prefix(std::string_view value, std::size_t limit)
{
    std::size_t end = 0;
    while (end < value.size()) {
        auto length = std::max<std::size_t>(sequence_length(value, end), 1);
        if (end + length > limit) {
            break;
        }
        end += length;
    }
    return end;
}

bool append_message(std::string &out, const vigil_alert &alert, const MessageSettings &settings)
{
    const std::size_t max_bytes = std::max(settings.max_bytes, min_message_bytes);
    std::string header = "<" + std::to_string(settings.facility * 8 + syslog_severity(alert.severity)) + ">1 ";
    append_timestamp(header, alert.time_unix_ns);
    header += ' ';
    header += header_field(text(alert.node), hostname_limit);
    header += ' ';
    header += header_field(settings.app_name, app_name_limit);
    header += ' ';
    header += header_field(settings.procid, procid_limit);
    header += ' ';
    header += header_field(text(alert.rule), msgid_limit);
    header += ' ';

    const std::string body = valid_utf8(
        settings.body == MessageBody::json ? std::string_view(alert.json, alert.json_size) : text(alert.summary));
    // " " BOM MSG after the element, which closes with "]".
    const std::size_t msg_overhead = 1 + bom.size();
    std::string element = full_element(alert);
    bool truncated = false;
    std::size_t room = 0;
    if (header.size() + element.size() + 1 + msg_overhead + body.size() > max_bytes) {
        truncated = true;
        // Say how long the MSG was, so that a reader knows it is cut.
        std::string note = " msg_octets=\"" + std::to_string(body.size()) + "\"";
        if (header.size() + element.size() + note.size() + 1 > max_bytes) {
            element = short_element(alert);
        }
        if (header.size() + element.size() + note.size() + 1 <= max_bytes) {
            element += note;
        }
    }
    element += ']';
    if (header.size() + element.size() > max_bytes) {
        element = "-"; // a header this long leaves no room even for the short element
    }
    const std::size_t used = header.size() + element.size();
    room = used + msg_overhead < max_bytes ? max_bytes - used - msg_overhead : 0;

    out += header;
    out += element;
    if (body.empty() || room == 0) {
        return truncated || !body.empty();
    }
    out += ' ';
    out += bom;
    out.append(body, 0, utf8_prefix(body, room));
    return truncated;
}

} // namespace vigil_syslog
