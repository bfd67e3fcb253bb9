// SPDX-License-Identifier: Apache-2.0
#include "slack_message.hpp"

#include <string>
#include <vector>

#include <vigil/json_text.hpp>

namespace vigil_slack {
namespace {

constexpr std::string_view ellipsis = "\xE2\x80\xA6"; // U+2026

std::string_view severity_word(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_INFO:
        return "INFO";
    case VIGIL_SEVERITY_LOW:
        return "LOW";
    case VIGIL_SEVERITY_MEDIUM:
        return "MEDIUM";
    case VIGIL_SEVERITY_HIGH:
        return "HIGH";
    case VIGIL_SEVERITY_CRITICAL:
        return "CRITICAL";
    default:
        return "UNKNOWN";
    }
}

std::string_view severity_emoji(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
    case VIGIL_SEVERITY_HIGH:
        return ":red_circle:";
    case VIGIL_SEVERITY_MEDIUM:
        return ":large_orange_circle:";
    case VIGIL_SEVERITY_LOW:
        return ":large_yellow_circle:";
    default:
        return ":white_circle:";
    }
}

std::string_view text_or_empty(const char *text)
{
    return text != nullptr ? std::string_view(text) : "";
}

// What the message shows that only the alert's JSON has.
struct AlertDetails {
    std::string namespace_name;
    std::string pod;
    std::string runtime;
    std::string cmdline;
    std::string time;
};

AlertDetails details_of(const vigil_alert &alert)
{
    std::string_view json(alert.json != nullptr ? alert.json : "", alert.json != nullptr ? alert.json_size : 0);
    AlertDetails details;
    details.namespace_name = vigil::json::string_at(json, {"k8s", "namespace"}).value_or("");
    details.pod = vigil::json::string_at(json, {"k8s", "pod"}).value_or("");
    details.runtime = vigil::json::string_at(json, {"container", "runtime"}).value_or("");
    details.cmdline = vigil::json::string_at(json, {"process", "cmdline"}).value_or("");
    details.time = vigil::json::string_at(json, {"time"}).value_or("");
    return details;
}

std::string attack_list(const vigil_attack_ref *refs, uint32_t count)
{
    std::string list;
    for (uint32_t index = 0; index < count; ++index) {
        if (index > 0) {
            list += '\n';
        }
        list += text_or_empty(refs[index].id);
        if (refs[index].name != nullptr && *refs[index].name != '\0') {
            list += ' ';
            list += refs[index].name;
        }
    }
    return list;
}

// Bold label, newline, value: one of a section's fields. The label is ours
// and needs no escaping; only the value is escaped and cut.
void append_field(std::string &out, bool &first, std::string_view label, std::string_view value)
{
    out += first ? "" : ",";
    first = false;
    const std::size_t label_size = label.size() + 3; // "*label*\n"
    std::string escaped;
    append_mrkdwn(escaped, value, max_field_text - label_size);
    out += R"({"type":"mrkdwn","text":"*)";
    out += label;
    out += "*\\n";
    out.append(escaped, 1, std::string::npos); // after the opening quote of the JSON string
    out += '}';
}

void append_section(std::string &out, std::string_view mrkdwn_prefix, std::string_view text)
{
    out += R"(,{"type":"section","text":{"type":"mrkdwn","text":)";
    std::string escaped;
    append_mrkdwn(escaped, text, max_section_text - mrkdwn_prefix.size());
    out += '"';
    out += mrkdwn_prefix;
    out.append(escaped, 1, std::string::npos);
    out += "}}";
}

std::string short_container_id(std::string_view id)
{
    return std::string(id.substr(0, 12));
}

} // namespace

void append_mrkdwn(std::string &out, std::string_view text, std::size_t limit)
{
    std::string escaped;
    std::size_t index = 0;
    bool cut = false;
    while (index < text.size()) {
        std::string_view piece;
        std::size_t consumed = 1;
        switch (text[index]) {
        case '&':
            piece = "&amp;";
            break;
        case '<':
            piece = "&lt;";
            break;
        case '>':
            piece = "&gt;";
            break;
        default: {
            // A whole UTF-8 character at a time, so a cut never splits one.
            consumed = 1;
            while (index + consumed < text.size() &&
                   (static_cast<unsigned char>(text[index + consumed]) & 0xC0) == 0x80) {
                ++consumed;
            }
            piece = text.substr(index, consumed);
        }
        }
        if (escaped.size() + piece.size() > limit - ellipsis.size()) {
            // Room for the ellipsis is kept only when something is left out.
            std::string_view rest = text.substr(index);
            std::size_t rest_size = 0;
            for (char c : rest) {
                rest_size += c == '&' ? 5 : (c == '<' || c == '>') ? 4 : 1;
            }
            cut = escaped.size() + rest_size > limit;
            if (!cut) {
                escaped += piece;
                index += consumed;
                continue;
            }
            break;
        }
        escaped += piece;
        index += consumed;
    }
    if (cut) {
        escaped += ellipsis;
    }
    vigil::json::append_string(out, escaped);
}

void append_plain(std::string &out, std::string_view text, std::size_t limit)
{
    if (text.size() <= limit) {
        vigil::json::append_string(out, text);
        return;
    }
    std::string cut(vigil::json::utf8_prefix(text, limit - ellipsis.size()));
    cut += ellipsis;
    vigil::json::append_string(out, cut);
}

void append_message(std::string &out, const vigil_alert &alert)
{
    const auto details = details_of(alert);
    const std::string_view rule = text_or_empty(alert.rule);
    const std::string_view summary = text_or_empty(alert.summary);
    const std::string_view node = text_or_empty(alert.node);
    const std::string_view severity = severity_word(alert.severity);

    // The fallback: what a notification shows.
    std::string fallback = "[" + std::string(severity) + "] " + std::string(rule);
    if (!node.empty()) {
        fallback += " on " + std::string(node);
    }
    if (!details.pod.empty()) {
        fallback += " (pod " + details.namespace_name + "/" + details.pod + ")";
    }
    fallback += ": " + std::string(summary);
    out += R"({"text":)";
    append_mrkdwn(out, fallback, max_fallback_text);

    out += R"(,"blocks":[{"type":"header","text":{"type":"plain_text","text":)";
    append_plain(out,
                 std::string(severity_emoji(alert.severity)) + " " + std::string(severity) + ": " + std::string(rule),
                 max_header_text);
    out += R"(,"emoji":true}})";

    append_section(out, "", summary.empty() ? std::string_view("(no summary)") : summary);

    out += R"(,{"type":"section","fields":[)";
    bool first = true;
    append_field(out, first, "Severity", severity);
    append_field(out, first, "Rule", rule);
    append_field(out, first, "Node", node.empty() ? "unknown" : node);
    if (!details.namespace_name.empty()) {
        append_field(out, first, "Namespace", details.namespace_name);
    }
    if (!details.pod.empty()) {
        append_field(out, first, "Pod", details.pod);
    }
    if (alert.container_id != nullptr && *alert.container_id != '\0') {
        std::string container = short_container_id(alert.container_id);
        if (!details.runtime.empty()) {
            container += " (" + details.runtime + ")";
        }
        append_field(out, first, "Container", container);
    } else {
        append_field(out, first, "Container", "none (host process)");
    }
    std::string process = std::string(text_or_empty(alert.exe));
    if (alert.pid != 0) {
        process += (process.empty() ? "pid " : " (pid ") + std::to_string(alert.pid) + (process.empty() ? "" : ")");
    }
    append_field(out, first, "Process", process.empty() ? "unknown" : process);
    if (alert.tactic_count > 0) {
        append_field(out, first, "Tactics", attack_list(alert.tactics, alert.tactic_count));
    }
    if (alert.technique_count > 0) {
        append_field(out, first, "Techniques", attack_list(alert.techniques, alert.technique_count));
    }
    out += "]}";

    if (!details.cmdline.empty()) {
        // A code block; a backquote inside would close it early.
        std::string cmdline = details.cmdline;
        for (char &c : cmdline) {
            if (c == '`') {
                c = '\'';
            }
        }
        // The closing fence is part of the limit: the cut leaves room for it.
        std::string escaped;
        constexpr std::string_view open = "*Command line*\n```";
        constexpr std::string_view close = "```";
        append_mrkdwn(escaped, cmdline, max_section_text - open.size() - close.size());
        out += R"(,{"type":"section","text":{"type":"mrkdwn","text":")";
        out += "*Command line*\\n```";
        out.append(escaped, 1, escaped.size() - 2);
        out += "```\"}}";
    }

    std::string context = "vigil";
    if (!details.time.empty()) {
        context += " \xC2\xB7 " + details.time;
    }
    if (alert.repeat_count > 0) {
        context += " \xC2\xB7 repeated " + std::to_string(alert.repeat_count) + " more times";
    }
    out += R"(,{"type":"context","elements":[{"type":"mrkdwn","text":)";
    append_mrkdwn(out, context, max_section_text);
    out += "}]}]}";
}

} // namespace vigil_slack
