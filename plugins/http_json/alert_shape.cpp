// SPDX-License-Identifier: Apache-2.0
#include "alert_shape.hpp"

#include <cstdio>
#include <ctime>

#include <vigil/json_text.hpp>
#include <vigil/severity.hpp>

#include "flat_json.hpp"

namespace vigil_http_json {
namespace {

std::string_view text(const char *value)
{
    return value != nullptr ? std::string_view(value) : std::string_view();
}

// The alert JSON's name; a severity from a newer ABI reads as "info" here.
std::string_view severity_name(uint32_t severity)
{
    return vigil::severity_name(severity, "info");
}

// The alert's own JSON fields that become output_fields, and their names there.
struct Renamed {
    std::string_view from;
    std::string_view to;
};
constexpr Renamed renamed_fields[] = {
    {"process.tid", "thread.tid"},
    {"process.cmdline", "proc.cmdline"},
    {"process.uid", "user.uid"},
    {"process.gid", "group.gid"},
    {"container.runtime", "container.runtime"},
    {"k8s.namespace", "k8s.ns.name"},
    {"k8s.pod", "k8s.pod.name"},
    {"k8s.workload.kind", "k8s.workload.kind"},
    {"k8s.workload.name", "k8s.workload.name"},
    {"k8s.service_account", "k8s.sa.name"},
};

class Fields {
public:
    explicit Fields(std::string &out) : out_(out) {}
    void raw(std::string_view name, std::string_view json)
    {
        key(name);
        out_ += json;
    }
    void string(std::string_view name, std::string_view value)
    {
        key(name);
        vigil::json::append_string(out_, value);
    }
    void number(std::string_view name, uint64_t value)
    {
        key(name);
        out_ += std::to_string(value);
    }

private:
    void key(std::string_view name)
    {
        out_ += first_ ? "" : ",";
        first_ = false;
        vigil::json::append_string(out_, name);
        out_ += ':';
    }
    std::string &out_;
    bool first_ = true;
};

void append_ids(std::string &out, const vigil_attack_ref *refs, uint32_t count, bool &first)
{
    for (uint32_t index = 0; index < count; ++index) {
        if (refs[index].id != nullptr) {
            out += first ? "" : ",";
            first = false;
            vigil::json::append_string(out, refs[index].id);
        }
    }
}

// A string value of the alert's JSON, unescaped; "" when absent.
std::string string_at(const FlatJson &flat, std::string_view path)
{
    auto value = find(flat, path);
    if (!value) {
        return {};
    }
    return json_string_value(*value).value_or(std::string());
}

std::string human_line(const vigil_alert &alert, const FlatJson &flat)
{
    std::string line(text(alert.summary));
    line += " (rule=";
    line += text(alert.rule);
    line += " severity=";
    line += severity_name(alert.severity);
    if (alert.pid != 0) {
        line += " proc.pid=" + std::to_string(alert.pid);
    }
    if (!text(alert.exe).empty()) {
        line += " proc.exe=";
        line += text(alert.exe);
    }
    line += " container.id=";
    line += text(alert.container_id).empty() ? std::string_view("host") : text(alert.container_id);
    for (auto [path, name] :
         {std::pair<std::string_view, std::string_view>{"k8s.namespace", "k8s.ns.name"}, {"k8s.pod", "k8s.pod.name"}}) {
        if (auto value = string_at(flat, path); !value.empty()) {
            line += " ";
            line += name;
            line += "=" + value;
        }
    }
    if (alert.repeat_count > 0) {
        line += " repeats=" + std::to_string(alert.repeat_count);
    }
    line += ")";
    return line;
}

} // namespace

std::string_view priority_name(uint32_t severity)
{
    switch (severity) {
    case VIGIL_SEVERITY_CRITICAL:
        return "Critical";
    case VIGIL_SEVERITY_HIGH:
        return "Error";
    case VIGIL_SEVERITY_MEDIUM:
        return "Warning";
    case VIGIL_SEVERITY_LOW:
        return "Notice";
    default:
        return "Informational";
    }
}

void append_rfc3339_ns(std::string &out, uint64_t unix_ns)
{
    std::time_t seconds = static_cast<std::time_t>(unix_ns / 1000000000ULL);
    auto nanos = static_cast<unsigned>(unix_ns % 1000000000ULL);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[96];
    std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, nanos);
    out += buffer;
}

void append_alert(std::string &out, const vigil_alert &alert, const ShapeSettings &settings)
{
    // The alert's JSON comes from the sensor and is well-formed; if it ever
    // were not, the fields of vigil_alert alone still make a complete alert.
    const FlatJson flat = flatten_object(std::string_view(alert.json, alert.json_size)).value_or(FlatJson{});
    std::string time;
    append_rfc3339_ns(time, alert.time_unix_ns);

    out += "{\"time\":\"" + time + "\",\"rule\":";
    vigil::json::append_string(out, text(alert.rule));
    out += ",\"priority\":\"";
    out += priority_name(alert.severity);
    out += "\",\"source\":";
    vigil::json::append_string(out, settings.source);
    out += ",\"hostname\":";
    vigil::json::append_string(out, text(alert.node));
    out += ",\"output\":";
    vigil::json::append_string(out, human_line(alert, flat));

    out += ",\"tags\":[";
    bool first = true;
    append_ids(out, alert.tactics, alert.tactic_count, first);
    append_ids(out, alert.techniques, alert.technique_count, first);
    out += first ? "" : ",";
    vigil::json::append_string(out, text(alert.plugin));
    out += "]";

    out += ",\"output_fields\":{";
    Fields fields(out);
    fields.number("evt.time", alert.time_unix_ns);
    fields.string("container.id", text(alert.container_id).empty() ? "host" : text(alert.container_id));
    if (!text(alert.pod_uid).empty()) {
        fields.string("k8s.pod.uid", text(alert.pod_uid));
    }
    fields.number("proc.pid", alert.pid);
    fields.string("proc.exe", text(alert.exe));
    for (const auto &[from, to] : renamed_fields) {
        if (auto value = find(flat, from)) {
            fields.raw(to, *value);
        }
    }
    fields.string("vigil.rule", text(alert.rule));
    fields.string("vigil.plugin", text(alert.plugin));
    fields.string("vigil.severity", severity_name(alert.severity));
    if (alert.repeat_count > 0) {
        fields.number("vigil.repeat_count", alert.repeat_count);
    }
    // The rule's own fields: its evidence, each under "evidence.<key>".
    for (const auto &[path, value] : flat) {
        if (path.starts_with("evidence.")) {
            fields.raw(path, value);
        }
    }
    out += "}}";
}

} // namespace vigil_http_json
