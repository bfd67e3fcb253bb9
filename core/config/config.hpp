// SPDX-License-Identifier: Apache-2.0
// The sensor's configuration: one TOML file, checked in full before anything
// starts, so that a typo is an error naming its line instead of a silently
// ignored setting.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/config/config_error.hpp"
#include "core/config/route_settings.hpp"

namespace vigil::config {

// Defaults and ranges live in config_schema.cpp, next to the documentation of each key.
struct SensorConfig {
    std::string plugin_dir;               // "" = <dir of the vigil executable>/../lib/vigil/plugins
    std::string log_level = "info";       // trace|debug|info|warning|error
    std::string node_name;                // "" = the machine's hostname
    uint32_t process_table_size = 65536;  // 1024..4194304
    uint32_t container_cache_size = 8192; // 64..1048576
    uint32_t drain_interval_ms = 10;      // 1..1000: longest sleep of the drain loop between drains
    uint32_t ring_buffer_kib = 0;         // 0 = each BPF object's own size; else a power of two in 64..262144
    std::vector<std::string>
        disabled_attach_types;       // each one of tp, tp_btf, raw_tp, fentry, fexit, lsm, kprobe, cgroup, iter
    bool mount_tracefs = true;       // mount tracefs at /sys/kernel/tracing if it is not mounted
    std::string host_proc = "/proc"; // where the host's /proc is (a DaemonSet mounts it elsewhere)
    uint32_t stats_interval_s = 60;  // 0 = never; else 1..86400
    // Plugins' state across restarts, one owner-only subdirectory each ("" = none).
    std::string state_directory = "/var/lib/vigil";

    bool operator==(const SensorConfig &) const = default;
};

struct AlertsConfig {
    uint32_t dedup_window_s = 60;       // 0 disables dedup; at most 86400
    uint32_t dedup_max_keys = 10000;    // 16..10000000
    uint32_t output_queue_size = 10000; // 16..10000000 alerts per output (in-memory queues, without a spool)
    std::string spool_path = "/var/lib/vigil/spool.db"; // "" = no spool: alerts wait in memory only
    uint32_t spool_max_mib = 1024;                      // 1..1048576: payload bytes of all outputs together
    uint32_t spool_max_entries_per_output = 1000000;    // 1..100000000
    bool spool_discard_unconfigured = false;            // drop what waits for outputs no longer configured

    bool operator==(const AlertsConfig &) const = default;
};

// [kubernetes]: where pod metadata for alerts comes from. See conf/vigil.toml.
struct KubernetesConfig {
    std::string api_server = "auto"; // "auto" (in-cluster when its env vars are set, else none), "none", or https://
    std::string kubeconfig;          // "" = none; else read for server, CA and credentials
    std::string token_file = "/var/run/secrets/kubernetes.io/serviceaccount/token";
    std::string ca_file = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
    std::vector<std::string> labels = {"app", "app.kubernetes.io/name", "app.kubernetes.io/instance"};
    uint32_t pod_cache_max = 16384;     // 16..1048576 pods
    uint32_t unresolved_wait_ms = 2000; // 0..60000: how long an alert waits for its pod to be known

    bool operator==(const KubernetesConfig &) const = default;
};

// Kubernetes audit events (core/audit/): both sources off by default.
struct AuditConfig {
    std::string webhook_listen;          // "" = no webhook; else "<address>:<port>", "[<ipv6>]:<port>"
    std::string webhook_path = "/audit"; // the one path POSTs are taken on
    std::string webhook_cert_file;       // PEM server certificate (chain), required with webhook_listen
    std::string webhook_key_file;        // PEM private key of it
    std::string webhook_token_file;      // a file holding the bearer token the API server sends
    std::string webhook_client_ca_file;  // PEM CA that client certificates must chain to
    uint32_t webhook_max_body_mib = 32;  // 1..1024: the largest batch accepted
    std::string log_path;                // "" = no log file; else the API server's audit log to follow
    std::string log_start_at = "end";    // end|beginning: where the first open of the file starts
    uint32_t queue_size = 20000;         // 400..10000000 events waiting for the event thread

    bool operator==(const AuditConfig &) const = default;
};

struct SourceLocation {
    std::string file;
    uint32_t line = 0;
    uint32_t column = 0;
};

// One [plugins.<name>] (detector) or [outputs.<name>] (output) table.
struct PluginSection {
    std::string name; // the table name
    std::string
        plugin; // the plugin .so that provides it: an output's optional `plugin` key (default: name); a detector's name
    bool enabled = true;
    // The table itself, owned by Config::document. Its reserved keys (`enabled`, and
    // `plugin` for outputs) are not the plugin's options.
    const toml::table *options = nullptr;
    SourceLocation location; // where the table starts
    RouteOverrides route;    // outputs: [outputs.<name>.route], what it changes of the plugin's default
};

struct Config {
    std::string path;
    std::shared_ptr<toml::table> document; // owns what PluginSection::options point into
    SensorConfig sensor;
    AlertsConfig alerts;
    KubernetesConfig kubernetes;
    AuditConfig audit;
    std::vector<PluginSection> detectors; // [plugins.*], in file order
    std::vector<PluginSection> outputs;   // [outputs.*], in file order
};

// A missing or unreadable file is an error with line 0 whose message includes strerror.
std::expected<Config, ConfigErrors> load_config(const std::string &path);

std::expected<Config, ConfigErrors> parse_config(std::string_view text, const std::string &path_for_messages);

} // namespace vigil::config
