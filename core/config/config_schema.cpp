#include "core/config/config_schema.hpp"

#include "core/config/plugin_sections.hpp"
#include "core/config/section_reader.hpp"

namespace vigil::config {

namespace {

constexpr std::string_view log_levels[] = {"trace", "debug", "info", "warning", "error"};

// The kinds of BPF program attachment an operator can rule out, e.g. where a
// kernel lockdown policy forbids kprobes; programs with another choice fall back to it.
constexpr std::string_view attach_types[] = {"tp",    "tp_btf", "raw_tp", "fentry", "fexit",
                                             "lsm",   "kprobe", "cgroup", "iter"};

// clang-format off
const Setting<SensorConfig> sensor_settings[] = {
    {"plugin_dir", &SensorConfig::plugin_dir, "Directory of the plugin .so files; empty means ../lib/vigil/plugins beside the vigil executable."},
    {"log_level", &SensorConfig::log_level, "Least severe log messages that are written.", {}, log_levels},
    {"node_name", &SensorConfig::node_name, "Node name put on alerts; empty means the machine's hostname."},
    {"process_table_size", &SensorConfig::process_table_size, "Processes tracked at once.", {.minimum = 1024, .maximum = 4194304}},
    {"container_cache_size", &SensorConfig::container_cache_size, "Containers whose metadata is kept in memory.", {.minimum = 64, .maximum = 1048576}},
    {"drain_interval_ms", &SensorConfig::drain_interval_ms, "Longest sleep of the drain loop between ring-buffer drains, in milliseconds.", {.minimum = 1, .maximum = 1000}},
    {"ring_buffer_kib", &SensorConfig::ring_buffer_kib, "Size of every ring buffer in KiB; 0 keeps each BPF object's own size.", {.minimum = 64, .maximum = 262144, .zero_allowed = true, .power_of_two = true}},
    {"disabled_attach_types", &SensorConfig::disabled_attach_types, "BPF attach types never tried, for kernels or policies that forbid them.", {}, attach_types},
    {"mount_tracefs", &SensorConfig::mount_tracefs, "Mount tracefs at /sys/kernel/tracing when it is not mounted."},
    {"host_proc", &SensorConfig::host_proc, "Where the host's /proc is visible (a DaemonSet mounts it elsewhere)."},
    {"stats_interval_s", &SensorConfig::stats_interval_s, "Seconds between statistics log lines; 0 turns them off.", {.minimum = 0, .maximum = 86400}},
};

const Setting<AlertsConfig> alerts_settings[] = {
    {"dedup_window_s", &AlertsConfig::dedup_window_s, "Seconds during which repeats of an alert are counted instead of sent; 0 sends every alert.", {.minimum = 0, .maximum = 86400}},
    {"dedup_max_keys", &AlertsConfig::dedup_max_keys, "Distinct alerts remembered for deduplication.", {.minimum = 16, .maximum = 10000000}},
    {"output_queue_size", &AlertsConfig::output_queue_size, "Alerts each output can hold while they wait for delivery, when there is no spool.", {.minimum = 16, .maximum = 10000000}},
    {"spool_path", &AlertsConfig::spool_path, "SQLite file where alerts wait until each output acknowledged them, so that they survive a crash or restart; empty keeps them in memory only."},
    {"spool_max_mib", &AlertsConfig::spool_max_mib, "Most MiB of alerts the spool holds for all outputs together; when reached, new alerts are refused and counted.", {.minimum = 1, .maximum = 1048576}},
    {"spool_max_entries_per_output", &AlertsConfig::spool_max_entries_per_output, "Most alerts the spool holds for any one output.", {.minimum = 1, .maximum = 100000000}},
    {"spool_discard_unconfigured", &AlertsConfig::spool_discard_unconfigured, "Discard, at start, alerts waiting in the spool for outputs the configuration no longer has."},
};

const SectionSchema<SensorConfig> sensor{"sensor", sensor_settings};
const SectionSchema<AlertsConfig> alerts{"alerts", alerts_settings};

const TopLevelTable tables[] = {
    {"sensor",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_section(value, sensor, config.sensor, errors); },
     [](std::vector<SettingDescription> &descriptions) { describe_section(sensor, descriptions); }},
    {"alerts",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_section(value, alerts, config.alerts, errors); },
     [](std::vector<SettingDescription> &descriptions) { describe_section(alerts, descriptions); }},
    {"plugins",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_plugin_sections(value, "plugins", PluginKind::detector, config.detectors, errors); },
     nullptr},
    {"outputs",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_plugin_sections(value, "outputs", PluginKind::output, config.outputs, errors); },
     nullptr},
};
// clang-format on

} // namespace

std::span<const TopLevelTable> top_level_tables() { return tables; }

const SectionSchema<SensorConfig> &sensor_schema() { return sensor; }

const SectionSchema<AlertsConfig> &alerts_schema() { return alerts; }

std::vector<SettingDescription> describe_core_settings()
{
    std::vector<SettingDescription> descriptions;
    for (const auto &table : tables) {
        if (table.describe != nullptr) {
            table.describe(descriptions);
        }
    }
    return descriptions;
}

} // namespace vigil::config
