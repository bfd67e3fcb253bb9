// SPDX-License-Identifier: Apache-2.0
// The stdout output plugin: every alert as a line on the sensor's standard
// output, either for people ("human") or for log collectors ("json").
#include <string>

#include <vigil/output.hpp>

#include "human_line.hpp"
#include "stdout_writer.hpp"

namespace vigil_stdout {
namespace {

enum class Format { human, json };

Format parse_format(const std::string &name)
{
    if (name == "human") {
        return Format::human;
    }
    if (name == "json") {
        return Format::json;
    }
    throw vigil::ConfigError("option format must be \"human\" or \"json\", not \"" + name + "\"");
}

class StdoutOutput final : public vigil::Output {
public:
    StdoutOutput(vigil::Host host, const vigil::Config &config)
        : vigil::Output(host), format_(parse_format(config.get_string("format")))
    {
    }

    // The whole batch becomes one request, so one write(2) usually prints it.
    std::size_t format(std::span<const vigil_alert *const> alerts, vigil::Request &request) override
    {
        line_.clear();
        for (const vigil_alert *alert : alerts) {
            if (format_ == Format::json) {
                line_.append(alert->json, alert->json_size);
                line_ += '\n';
            } else {
                append_human_line(line_, *alert);
            }
        }
        request.append(line_);
        return alerts.size();
    }

    vigil::SendResult send(std::string_view request) override { return writer_.write_all(request); }

private:
    Format format_;
    std::string line_; // reused from one batch to the next
    StdoutWriter writer_;
};

constexpr vigil_config_key config_keys[] = {
    vigil::config_key("format", VIGIL_CONFIG_STRING, "\"human\"",
                      "\"human\" for one readable line per alert, \"json\" for the alert's JSON object per line."),
};

const vigil_plugin_descriptor descriptor = vigil::describe_output<StdoutOutput>({
    .name = "stdout",
    .version = "0.1.0",
    .description = "Writes alerts to standard output, as readable lines or as JSON lines.",
    .config_keys = config_keys,
});

} // namespace
} // namespace vigil_stdout

VIGIL_EXPORT_PLUGIN(vigil_stdout::descriptor)
