// Benchmark detector: counts the storm's records and raises nothing, so a run
// measures the ring buffer, the drain loop, the event router and dispatch.
#include <vigil/detector.hpp>

#include "storm.skel.h"

namespace {

class StormCounter final : public vigil::Detector {
public:
    StormCounter(vigil::Host host, const vigil::Config &config)
        : Detector(host), cgroup_id_(static_cast<uint64_t>(config.get_integer("cgroup_id"))),
          records_(host.counter("records", "storm records seen"))
    {
    }
    void configure_bpf(const vigil::BpfSetup &setup) override
    {
        setup.set_constant("storm", "storm_cgroup_id", cgroup_id_);
    }
    void on_event(const vigil::Event &event) override
    {
        if (event.header().cgroup_id == cgroup_id_) {
            records_.add();
        }
    }

private:
    uint64_t cgroup_id_;
    vigil::Counter records_;
};

constexpr vigil_config_key keys[] = {
    vigil::config_key("cgroup_id", VIGIL_CONFIG_INTEGER, "0", "cgroup v2 id of the storm's processes")};
constexpr vigil_bpf_program programs[] = {vigil::bpf_program("storm_getppid")};
constexpr const char *rings[] = {"storm_events"};
const vigil_bpf_object objects[] = {vigil::bpf_object("storm", storm__elf_bytes, programs, rings)};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<StormCounter>({
    .name = "storm",
    .version = "1.0.0",
    .description = "benchmark: counts getppid() records from one cgroup",
    .config_keys = keys,
    .bpf_objects = objects,
});

} // namespace

VIGIL_EXPORT_PLUGIN(descriptor)
