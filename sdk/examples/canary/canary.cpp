// SPDX-License-Identifier: Apache-2.0
// The canary detector: a sample third-party plugin. It alerts when a file
// named like the canary (default "vigil-canary") is deleted, the way an
// attacker cleaning up after themselves would (T1070.004).
#include <cstring>
#include <stdexcept>

#include <vigil/detector.hpp>

#include "canary.skel.h"
#include "canary_events.h"

namespace vigil_canary {
namespace {

class CanaryDetector final : public vigil::Detector {
public:
    CanaryDetector(vigil::Host host, const vigil::Config &config)
        : Detector(host), canary_name_(config.get_string("canary_name"))
    {
        if (canary_name_.empty() || canary_name_.size() >= 16) {
            throw vigil::ConfigError("canary_name must be 1 to 15 characters");
        }
    }

    void configure_bpf(const vigil::BpfSetup &setup) override
    {
        char name[16] = {};
        std::memcpy(name, canary_name_.data(), canary_name_.size());
        setup.set_constant("canary", "canary_name", name);
        setup.set_constant("canary", "canary_name_length", static_cast<uint32_t>(canary_name_.size()));
    }

    void on_event(const vigil::Event &event) override
    {
        const auto *removed = event.as<canary_removed>();
        if (event.kind() != CANARY_KIND_REMOVED || removed == nullptr) {
            return;
        }
        char name[CANARY_NAME_SIZE + 1] = {};
        std::memcpy(name, removed->name, CANARY_NAME_SIZE);
        vigil::Alert("example.canary_removed", VIGIL_SEVERITY_MEDIUM)
            .summary("canary file %s was deleted", name)
            .tactic(vigil::attack::TA0005)
            .technique(vigil::attack::T1070_004)
            .event(event)
            .evidence("path", name)
            .dedup_key(name)
            .emit(host());
    }

private:
    std::string canary_name_;
};

constexpr vigil_attack_ref tactics[] = {vigil::attack::TA0005};
constexpr vigil_attack_ref techniques[] = {vigil::attack::T1070_004};
constexpr vigil_config_key config_keys[] = {
    vigil::config_key("canary_name", VIGIL_CONFIG_STRING, "\"vigil-canary\"",
                      "file name whose deletion raises the alert (1 to 15 characters)"),
};
constexpr vigil_bpf_program programs[] = {
    vigil::bpf_program("canary_unlinkat"),
    vigil::bpf_program("canary_unlink", nullptr, 0, VIGIL_PROGRAM_OPTIONAL), // no unlink(2) on arm64
};
constexpr const char *ring_buffers[] = {"canary_events"};

const vigil_bpf_object objects[] = {vigil::bpf_object("canary", canary__elf_bytes, programs, ring_buffers)};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<CanaryDetector>({
    .name = "canary",
    .version = "1.0.0",
    .description = "sample detector: deletion of a canary file",
    .tactics = tactics,
    .techniques = techniques,
    .config_keys = config_keys,
    .bpf_objects = objects,
});

} // namespace
} // namespace vigil_canary

VIGIL_EXPORT_PLUGIN(vigil_canary::descriptor)
