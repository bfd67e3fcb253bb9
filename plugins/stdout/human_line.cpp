// SPDX-License-Identifier: Apache-2.0
#include "human_line.hpp"

#include <cstdio>
#include <ctime>
#include <string_view>

#include <vigil/abi_support.hpp>

namespace vigil_stdout {
namespace {

constexpr uint64_t nanoseconds_per_second = 1'000'000'000;
// A container id is 64 hex characters; 12 is what container tools show.
constexpr std::size_t short_container_id = 12;

std::string_view severity_label(uint32_t severity)
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

// Copies @text, writing control characters as \xNN: the summary and the
// executable path come from the monitored workload, and must not be able to
// forge extra log lines or drive the terminal that displays them.
void append_printable(std::string &out, std::string_view text)
{
    for (char character : text) {
        auto byte = static_cast<unsigned char>(character);
        if (byte < 0x20 || byte == 0x7F) {
            char escaped[5];
            std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
            out += escaped;
        } else {
            out += character;
        }
    }
}

void append_printable(std::string &out, const char *text)
{
    if (text != nullptr) {
        append_printable(out, std::string_view(text));
    }
}

void append_time(std::string &out, uint64_t unix_ns)
{
    auto seconds = static_cast<std::time_t>(unix_ns / nanoseconds_per_second);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    auto length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
    out.append(text, length);
    // Nine fractional digits always, as in the JSON: lines line up and sort as text.
    char fraction[10];
    auto nanoseconds = unix_ns % nanoseconds_per_second;
    for (int index = 8; index >= 0; --index) {
        fraction[index] = static_cast<char>('0' + nanoseconds % 10);
        nanoseconds /= 10;
    }
    fraction[9] = 'Z';
    out += '.';
    out.append(fraction, sizeof(fraction));
}

void append_techniques(std::string &out, const vigil_alert &alert)
{
    if (alert.techniques == nullptr || alert.technique_count == 0) {
        return;
    }
    out += " [";
    for (uint32_t index = 0; index < alert.technique_count; ++index) {
        if (index > 0) {
            out += ',';
        }
        // Stepped by the host's struct_size, which may be larger than this plugin's.
        append_printable(out, vigil::abi_array_at(alert.techniques, index)->id);
    }
    out += ']';
}

void append_where(std::string &out, const vigil_alert &alert)
{
    if (alert.container_id == nullptr) {
        out += " host";
        return;
    }
    out += " container ";
    append_printable(out, std::string_view(alert.container_id).substr(0, short_container_id));
    if (alert.pod_uid != nullptr && *alert.pod_uid != '\0') {
        out += " pod ";
        append_printable(out, alert.pod_uid);
    }
}

} // namespace

void append_human_line(std::string &out, const vigil_alert &alert)
{
    append_time(out, alert.time_unix_ns);
    out += ' ';
    out += severity_label(alert.severity);
    out += ' ';
    append_printable(out, alert.rule);
    append_techniques(out, alert);
    append_where(out, alert);
    if (alert.pid != 0) {
        out += " pid ";
        out += std::to_string(alert.pid);
    }
    if (alert.exe != nullptr && *alert.exe != '\0') {
        out += ' ';
        append_printable(out, alert.exe);
    }
    out += ": ";
    append_printable(out, alert.summary);
    if (alert.repeat_count > 0) {
        out += " (repeated ";
        out += std::to_string(alert.repeat_count);
        out += " times)";
    }
    out += '\n';
}

} // namespace vigil_stdout
