// SPDX-License-Identifier: Apache-2.0
// The cryptomining detector: the core's exec events (miner execs, and which
// cgroups to watch for CPU use), its own ring's pool connects and DNS queries,
// and a CPU sample of the watched cgroups on every tick.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/detector.hpp>

#include "cpu_tracker.hpp"
#include "cryptomining_events.h"
#include "patterns.hpp"
#include "rules.hpp"

namespace vigil_cryptomining {

// The BPF object's name in the descriptor, which configure_bpf addresses.
inline constexpr const char *bpf_object_name = "cryptomining";

struct Settings {
    bool containers_only = false;
    RuleSwitches rules;
    GlobList miner_names;
    std::vector<uint16_t> pool_ports;
    DomainList pool_domains;
    CpuSettings cpu;
    bool cpu_include_host = false;
    GlobList cpu_allowed_exes;
};

class CryptominingDetector final : public vigil::Detector {
public:
    CryptominingDetector(vigil::Host host, const vigil::Config &config);

    void configure_bpf(const vigil::BpfSetup &setup) override;
    void on_event(const vigil::Event &event) override;
    void on_tick(uint64_t now_ns) override;

private:
    void on_exec(const vigil::Event &event, const vigil_process_exec &record);           // exec_alerts.cpp
    void on_pool_connect(const vigil::Event &event, const cryptomining_connect &record); // network_alerts.cpp
    void on_dns_query(const vigil::Event &event, const cryptomining_dns &record);        // network_alerts.cpp
    void report_busy(const BusyProcess &busy);                                           // cpu_alerts.cpp
    // Starts following the CPU use of the cgroup of an exec'ing process, if it is to be watched.
    void watch_cgroup(const vigil::Event &event); // cpu_alerts.cpp

    Settings settings_;
    CpuTracker cpu_;
    CpuFiles files_;
    std::string proc_root_;
    std::vector<std::string_view> arguments_; // scratch of on_exec, reused
    std::vector<BusyProcess> busy_;           // scratch of on_tick, reused
    vigil::Counter allowed_;
    vigil::Counter malformed_;
    vigil::Counter dns_queries_;
    vigil::Counter cpu_file_reads_;
};

} // namespace vigil_cryptomining
