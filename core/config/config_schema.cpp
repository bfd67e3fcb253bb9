// SPDX-License-Identifier: Apache-2.0
#include "core/config/config_schema.hpp"

#include "core/config/audit_settings.hpp"
#include "core/config/plugin_sections.hpp"
#include "core/config/section_reader.hpp"

namespace vigil::config {

namespace {

constexpr std::string_view log_levels[] = {"trace", "debug", "info", "warning", "error"};

// The kinds of BPF program attachment an operator can rule out, e.g. where a
// kernel lockdown policy forbids kprobes; programs with another choice fall back to it.
constexpr std::string_view attach_types[] = {"tp",  "tp_btf", "raw_tp", "fentry", "fexit",
                                             "lsm", "kprobe", "cgroup", "iter"};

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
    {"state_directory", &SensorConfig::state_directory, "Directory where plugins keep state across restarts, each in a subdirectory named after it (created mode 0700 when a plugin first asks); empty keeps none."},
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

const Setting<KubernetesConfig> kubernetes_settings[] = {
    {"api_server", &KubernetesConfig::api_server, "Kubernetes API server for pod metadata on alerts: \"auto\" (in-cluster when KUBERNETES_SERVICE_HOST is set, else none), \"none\", or an https:// URL."},
    {"kubeconfig", &KubernetesConfig::kubeconfig, "kubeconfig file giving the server, CA and credentials (its current context); empty uses the in-cluster service account."},
    {"token_file", &KubernetesConfig::token_file, "Bearer token file, re-read at every connect because projected tokens rotate."},
    {"ca_file", &KubernetesConfig::ca_file, "CA bundle the API server's certificate is verified against."},
    {"labels", &KubernetesConfig::labels, "Pod labels copied onto alerts."},
    {"pod_cache_max", &KubernetesConfig::pod_cache_max, "Pods whose metadata is kept in memory.", {.minimum = 16, .maximum = 1048576}},
    {"unresolved_wait_ms", &KubernetesConfig::unresolved_wait_ms, "Milliseconds an alert from a container whose pod is not known yet waits for it before it is sent marked unresolved.", {.minimum = 0, .maximum = 60000}},
};

constexpr std::string_view log_start_choices[] = {"end", "beginning"};

const Setting<AuditConfig> audit_settings[] = {
    {"webhook_listen", &AuditConfig::webhook_listen, "Address and port the audit webhook listens on over HTTPS, e.g. \"0.0.0.0:9443\" or \"[::]:9443\"; empty turns the webhook off."},
    {"webhook_path", &AuditConfig::webhook_path, "The path the API server POSTs audit event batches to."},
    {"webhook_cert_file", &AuditConfig::webhook_cert_file, "PEM file of the webhook's server certificate (and chain); required with webhook_listen."},
    {"webhook_key_file", &AuditConfig::webhook_key_file, "PEM file of the webhook's private key; required with webhook_listen."},
    {"webhook_token_file", &AuditConfig::webhook_token_file, "File holding the bearer token the API server must send; the token is never written in this file."},
    {"webhook_client_ca_file", &AuditConfig::webhook_client_ca_file, "PEM file of the CA that API server client certificates must chain to; a client with such a certificate needs no token."},
    {"webhook_max_body_mib", &AuditConfig::webhook_max_body_mib, "Largest request body the webhook reads, in MiB (a batch of 400 events fits in 32).", {.minimum = 1, .maximum = 1024}},
    {"log_path", &AuditConfig::log_path, "The API server's JSON-lines audit log to follow, through renames and copytruncate; empty turns it off."},
    {"log_start_at", &AuditConfig::log_start_at, "Where reading starts the first time the log is opened after the sensor starts.", {}, log_start_choices},
    {"queue_size", &AuditConfig::queue_size, "Audit events waiting for the detectors; a webhook batch that does not fit is answered 503 so that the API server retries it.", {.minimum = 400, .maximum = 10000000}},
};

const SectionSchema<SensorConfig> sensor{"sensor", sensor_settings};
const SectionSchema<AuditConfig> audit{"audit", audit_settings};
const SectionSchema<AlertsConfig> alerts{"alerts", alerts_settings};
const SectionSchema<KubernetesConfig> kubernetes{"kubernetes", kubernetes_settings};

// api_server is one of two words or a URL, which a list of choices cannot say.
void read_kubernetes(const toml::node &value, Config &config, ErrorCollector &errors)
{
    read_section(value, kubernetes, config.kubernetes, errors);
    const auto *table = value.as_table();
    const auto *server = table != nullptr ? table->get("api_server") : nullptr;
    const auto &text = config.kubernetes.api_server;
    if (server != nullptr && server->is_string() && text != "auto" && text != "none" &&
        (!text.starts_with("https://") || text.size() == 8)) {
        errors.add(server->source(), "kubernetes.api_server",
                   "expected \"auto\", \"none\" or an https:// URL (the API is only spoken over verified TLS); got '" +
                       text + "'");
        config.kubernetes.api_server = "none";
    }
}

const TopLevelTable tables[] = {
    {"sensor",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_section(value, sensor, config.sensor, errors); },
     [](std::vector<SettingDescription> &descriptions) { describe_section(sensor, descriptions); }},
    {"alerts",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_section(value, alerts, config.alerts, errors); },
     [](std::vector<SettingDescription> &descriptions) { describe_section(alerts, descriptions); }},
    {"kubernetes", read_kubernetes,
     [](std::vector<SettingDescription> &descriptions) { describe_section(kubernetes, descriptions); }},
    {"audit",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_section(value, audit, config.audit, errors); check_audit_section(value, config.audit, errors); },
     [](std::vector<SettingDescription> &descriptions) { describe_section(audit, descriptions); }},
    {"plugins",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_plugin_sections(value, "plugins", PluginKind::detector, config.detectors, errors); },
     nullptr},
    {"outputs",
     [](const toml::node &value, Config &config, ErrorCollector &errors) { read_plugin_sections(value, "outputs", PluginKind::output, config.outputs, errors); },
     nullptr},
};
// clang-format on

} // namespace

std::span<const TopLevelTable> top_level_tables()
{
    return tables;
}

const SectionSchema<SensorConfig> &sensor_schema()
{
    return sensor;
}

const SectionSchema<AlertsConfig> &alerts_schema()
{
    return alerts;
}

const SectionSchema<KubernetesConfig> &kubernetes_schema()
{
    return kubernetes;
}
const SectionSchema<AuditConfig> &audit_schema()
{
    return audit;
}

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
