// SPDX-License-Identifier: Apache-2.0
// The jsonl output plugin: every alert's JSON as one line of a file.
#include <cstring>
#include <string>

#include <vigil/output.hpp>

#include "append_file.hpp"

namespace vigil_jsonl {
namespace {

class JsonlOutput final : public vigil::Output {
public:
    JsonlOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), file_(config.get_string("path"), config.get_bool("create_directories"))
    {
        if (file_.path().empty()) {
            throw vigil::ConfigError("option path must not be empty");
        }
        // Opened now so that a path the sensor cannot write stops it at
        // startup, not at the first alert.
        if (int error = file_.open(); error != 0) {
            throw vigil::ConfigError("cannot open " + file_.path() + ": " + std::strerror(-error));
        }
    }

    // The batch's lines, each ending in "\n": one request, one write(2).
    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        lines_.clear();
        for (const vigil_alert *alert : alerts) {
            lines_.append(alert->json, alert->json_size);
            lines_ += '\n';
        }
        request.append(lines_);
        return alerts.size();
    }

    vigil::SendResult send(std::string_view request) override { return file_.append(request); }

private:
    AppendFile file_;
    std::string lines_; // reused from one batch to the next
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("path", VIGIL_CONFIG_STRING, "\"/var/log/vigil/alerts.jsonl\"",
                      "The file alerts are appended to, one JSON object per line."),
    vigil::config_key("create_directories", VIGIL_CONFIG_BOOL, "true",
                      "Create the file's missing parent directories (mode 0750)."),
};

const vigil_plugin_descriptor descriptor = vigil::describe_output<JsonlOutput>({
    .name = "jsonl",
    .version = "0.1.0",
    .description = "Appends alerts to a file as JSON lines, following log rotation.",
    .config_keys = config_keys,
});

} // namespace
} // namespace vigil_jsonl

VIGIL_EXPORT_PLUGIN(vigil_jsonl::descriptor)
