// SPDX-License-Identifier: Apache-2.0
// Benchmark detector: counts the storm's records, so that a run measures the
// ring buffer, the drain loop, the event router and dispatch. With
// alert_every = n it also raises one alert for every n-th record, built as a
// real detector builds one, so that a run can measure alert delivery through
// the outputs (bench/output_throughput.py); by default it raises nothing.
#include <array>
#include <cstdint>
#include <string>

#include <vigil/detector.hpp>

#include "storm.skel.h"

namespace vigil_storm {
namespace {

namespace attack = vigil::attack;

constexpr const char *alert_rule = "storm.record";
// Execution: a tactic the default routes of the review outputs take. T1059 is
// not among the SDK's ready-made references, so it is spelled here.
constexpr std::array tactics{attack::TA0002};
constexpr std::array techniques{attack::make("T1059", "Command and Scripting Interpreter")};

uint64_t alert_interval(const vigil::Config &config)
{
    auto value = config.get_integer("alert_every");
    if (value < 0) {
        throw vigil::ConfigError("option alert_every must be 0 (no alerts) or more");
    }
    return static_cast<uint64_t>(value);
}

class StormCounter final : public vigil::Detector {
public:
    StormCounter(vigil::Host host, const vigil::Config &config)
        : Detector(host), cgroup_id_(static_cast<uint64_t>(config.get_integer("cgroup_id"))),
          alert_every_(alert_interval(config)), records_(host.counter("records", "storm records seen")),
          alerts_(host.counter("alerts", "storm.record alerts raised"))
    {
    }
    void configure_bpf(const vigil::BpfSetup &setup) override
    {
        setup.set_constant("storm", "storm_cgroup_id", cgroup_id_);
    }
    void on_event(const vigil::Event &event) override
    {
        if (event.header().cgroup_id != cgroup_id_) {
            return;
        }
        records_.add();
        if (alert_every_ != 0 && ++seen_ % alert_every_ == 0) {
            raise(event);
        }
    }

private:
    void raise(const vigil::Event &event)
    {
        ++raised_;
        // The sequence number lets a receiver tell the alerts apart (and count
        // duplicates): without it every alert of one generator is alike.
        vigil::Alert alert(alert_rule, VIGIL_SEVERITY_HIGH);
        alert.attack(tactics, techniques)
            .summary("storm record %llu of %s (benchmark alert %llu)", static_cast<unsigned long long>(seen_),
                     event.actor_name().c_str(), static_cast<unsigned long long>(raised_))
            .event(event)
            .evidence("syscall", "getppid")
            .evidence("sequence", raised_)
            .evidence("record", seen_)
            .evidence("alert_every", alert_every_);
        if (alert.emit(host()) == 0) {
            alerts_.add();
        }
    }

    uint64_t cgroup_id_;
    uint64_t alert_every_;
    uint64_t seen_ = 0;   // records of the cgroup, while alerts are on
    uint64_t raised_ = 0; // alerts raised so far, the next one's sequence
    vigil::Counter records_;
    vigil::Counter alerts_;
};

constexpr vigil_config_key keys[] = {
    vigil::config_key("cgroup_id", VIGIL_CONFIG_INTEGER, "0", "cgroup v2 id of the storm's processes"),
    vigil::config_key("alert_every", VIGIL_CONFIG_INTEGER, "0",
                      "raise one storm.record alert (high, TA0002/T1059) for every n-th record; 0 raises none"),
};
constexpr vigil_bpf_program programs[] = {vigil::bpf_program("storm_getppid")};
constexpr const char *rings[] = {"storm_events"};
const vigil_bpf_object objects[] = {vigil::bpf_object("storm", storm__elf_bytes, programs, rings)};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<StormCounter>({
    .name = "storm",
    .version = "1.1.0",
    .description = "benchmark: counts getppid() records from one cgroup; with alert_every = n, raises "
                   "storm.record for every n-th",
    .tactics = tactics,
    .techniques = techniques,
    .config_keys = keys,
    .bpf_objects = objects,
});

} // namespace
} // namespace vigil_storm

VIGIL_EXPORT_PLUGIN(vigil_storm::descriptor)
