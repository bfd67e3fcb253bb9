// SPDX-License-Identifier: Apache-2.0
#include "detector.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace vigil_cryptomining {
namespace {

constexpr uint64_t second_ns = 1'000'000'000;

std::vector<uint16_t> read_ports(const std::vector<std::string> &items)
{
    if (items.size() > CRYPTOMINING_MAX_POOL_PORTS) {
        throw vigil::ConfigError("pool_ports: at most " + std::to_string(CRYPTOMINING_MAX_POOL_PORTS) +
                                 " ports can be watched");
    }
    std::vector<uint16_t> ports;
    for (const auto &item : items) {
        unsigned value = 0;
        auto result = std::from_chars(item.data(), item.data() + item.size(), value);
        if (result.ec != std::errc{} || result.ptr != item.data() + item.size() || value == 0 || value > 65535) {
            throw vigil::ConfigError("pool_ports: \"" + item + "\" is not a port number (1 to 65535)");
        }
        if (value == CRYPTOMINING_DNS_PORT) {
            throw vigil::ConfigError("pool_ports: 53 is DNS, which pool_domains covers");
        }
        ports.push_back(static_cast<uint16_t>(value));
    }
    return ports;
}

CpuSettings read_cpu_settings(const vigil::Config &config)
{
    CpuSettings cpu;
    cpu.threshold_cores = config.get_float("cpu_threshold_cores");
    if (!std::isfinite(cpu.threshold_cores) || cpu.threshold_cores < 0.05 || cpu.threshold_cores > 1024) {
        throw vigil::ConfigError("cpu_threshold_cores must be between 0.05 and 1024");
    }
    auto window = config.get_integer("cpu_window_s");
    auto interval = config.get_integer("cpu_sample_interval_s");
    if (interval < 1 || interval > 300) {
        throw vigil::ConfigError("cpu_sample_interval_s must be between 1 and 300");
    }
    if (window < interval || window > 86400) {
        throw vigil::ConfigError("cpu_window_s must be at least cpu_sample_interval_s, and at most 86400");
    }
    cpu.window_ns = static_cast<uint64_t>(window) * second_ns;
    cpu.sample_interval_ns = static_cast<uint64_t>(interval) * second_ns;
    return cpu;
}

Settings read_settings(const vigil::Config &config)
{
    Settings settings;
    settings.containers_only = config.get_bool("containers_only");
    settings.rules = vigil::read_disabled_rules(config, rule_table);
    settings.miner_names = GlobList(config.get_list("miner_names"));
    settings.pool_ports = read_ports(config.get_list("pool_ports"));
    try {
        settings.pool_domains = DomainList(config.get_list("pool_domains"));
    } catch (const std::invalid_argument &error) {
        throw vigil::ConfigError(std::string("pool_domains: ") + error.what());
    }
    settings.cpu = read_cpu_settings(config);
    settings.cpu_include_host = config.get_bool("cpu_include_host");
    settings.cpu_allowed_exes = GlobList(config.get_list("cpu_allowed_exes"));
    return settings;
}

std::string host_path(const vigil::Host &host, bool cgroup)
{
    const auto *info = host.host_info();
    if (info == nullptr) {
        return cgroup ? "" : "/proc"; // a host older than ABI 1.1: no cgroup root to read from
    }
    const char *path = cgroup ? info->cgroup2_root : info->proc_root;
    return path != nullptr ? path : "";
}

} // namespace

CryptominingDetector::CryptominingDetector(vigil::Host host, const vigil::Config &config)
    : Detector(host), settings_(read_settings(config)), cpu_(settings_.cpu),
      files_(host_path(host, true), host_path(host, false)), proc_root_(host_path(host, false)),
      allowed_(host.counter("allowed_findings", "Findings not alerted on because the configuration allows them")),
      malformed_(host.counter("malformed_records", "Records too short for their kind, or DNS payloads that do "
                                                   "not parse, ignored")),
      dns_queries_(host.counter("dns_queries", "DNS queries seen and matched against the pool domains")),
      cpu_file_reads_(host.counter("cpu_file_reads", "cpu.stat, cgroup.procs and schedstat files read"))
{
    if (settings_.rules.enabled(Rule::sustained_cpu) && !files_.available()) {
        host.log(VIGIL_LOG_WARNING, "no cgroup v2 hierarchy: cryptomining.sustained_cpu cannot measure CPU use");
    }
}

void CryptominingDetector::configure_bpf(const vigil::BpfSetup &setup)
{
    // Kernel-side filters: host processes (containers_only), ports, and whether DNS is looked at at all.
    // vigil_watch_host (a C bool) is the SDK's: with it the core's dispatcher runs the connect stage for
    // host tasks too, and the plugin's own programs follow it as well.
    const bool watch_host = !settings_.containers_only;
    setup.set_constant(bpf_object_name, "vigil_watch_host", watch_host);
    std::array<uint16_t, CRYPTOMINING_MAX_POOL_PORTS> ports{};
    uint32_t count = 0;
    if (settings_.rules.enabled(Rule::pool_connect)) {
        for (auto port : settings_.pool_ports) {
            ports[count++] = port;
        }
    }
    setup.set_constant(bpf_object_name, "pool_ports", ports);
    setup.set_constant(bpf_object_name, "pool_port_count", count);
    setup.set_constant(bpf_object_name, "watch_dns", settings_.rules.enabled(Rule::pool_dns));
    // The connect stage looks at pool ports and DNS (53) only: other connects end in the core's dispatcher.
    std::vector<uint16_t> connect_ports(ports.begin(), ports.begin() + count);
    if (settings_.rules.enabled(Rule::pool_dns)) {
        connect_ports.push_back(CRYPTOMINING_DNS_PORT);
    }
    setup.set_connect_filter(bpf_object_name, std::move(connect_ports));
}

void CryptominingDetector::on_event(const vigil::Event &event)
{
    if (event.kind() == VIGIL_KIND_CGROUP_REMOVED) {
        if (const auto *record = event.as<vigil_cgroup_change>()) {
            cpu_.forget(record->cgroup_id);
        }
        return;
    }
    // The kernel's test is a superset ("may be in a container"); the sensor's cgroup view is exact.
    if (settings_.containers_only && !event.in_container()) {
        return;
    }
    bool well_formed = false;
    switch (event.kind()) {
    case VIGIL_KIND_PROCESS_EXEC:
        if (const auto *record = event.as<vigil_process_exec>()) {
            on_exec(event, *record);
            watch_cgroup(event);
            well_formed = true;
        }
        break;
    case CRYPTOMINING_KIND_POOL_CONNECT:
        if (const auto *record = event.as<cryptomining_connect>()) {
            on_pool_connect(event, *record);
            well_formed = true;
        }
        break;
    case CRYPTOMINING_KIND_DNS_QUERY:
        if (const auto *record = event.as<cryptomining_dns>()) {
            on_dns_query(event, *record);
            well_formed = true;
        }
        break;
    default:
        return;
    }
    if (!well_formed) {
        malformed_.add();
    }
}

void CryptominingDetector::on_tick(uint64_t now_ns)
{
    if (!settings_.rules.enabled(Rule::sustained_cpu) || !files_.available() || cpu_.size() == 0) {
        return;
    }
    busy_.clear();
    cpu_file_reads_.add(cpu_.sample(now_ns, files_, busy_));
    for (const auto &busy : busy_) {
        report_busy(busy);
    }
}

} // namespace vigil_cryptomining
