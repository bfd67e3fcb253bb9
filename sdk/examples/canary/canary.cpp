// SPDX-License-Identifier: Apache-2.0
// The canary detector: a sample third-party plugin. It alerts when a file
// named like the canary (default "vigil-canary") is opened for reading, a
// honeyfile no legitimate process has any reason to read (T1005), or deleted,
// the way an attacker cleaning up after themselves would (T1070.004).
#include <fcntl.h>

#include <cstring>
#include <stdexcept>

#include <vigil/detector.hpp>

#include "canary.skel.h"
#include "canary_events.h"

namespace vigil_canary {
namespace {

// Not among the SDK's ready-made references: a plugin makes its own the same way.
constexpr vigil_attack_ref T1005 = vigil::attack::make("T1005", "Data from Local System");

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
        // The SDK's switch for the object's dispatcher stages: host processes too, not only containers,
        // as the unlink programs watch every process. (A C bool in <vigil/bpf/dispatch.h>.)
        setup.set_constant("canary", "vigil_watch_host", true);
    }

    void on_event(const vigil::Event &event) override
    {
        if (event.kind() == CANARY_KIND_READ) {
            on_read(event);
        } else if (event.kind() == CANARY_KIND_REMOVED) {
            on_removed(event);
        }
    }

private:
    void on_read(const vigil::Event &event)
    {
        const auto *read = event.as<canary_read>();
        if (read == nullptr) {
            return;
        }
        char name[CANARY_NAME_SIZE + 1] = {};
        std::memcpy(name, read->name, CANARY_NAME_SIZE);
        vigil::Alert("example.canary_read", VIGIL_SEVERITY_HIGH)
            .summary("canary file %s was opened for reading", name)
            .tactic(vigil::attack::TA0009)
            .technique(T1005)
            .event(event)
            .evidence("path", name)
            .evidence("access", (read->open_flags & O_ACCMODE) == O_RDONLY ? "read" : "read-write")
            .dedup_key(name)
            .emit(host());
    }

    void on_removed(const vigil::Event &event)
    {
        const auto *removed = event.as<canary_removed>();
        if (removed == nullptr) {
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

    std::string canary_name_;
};

constexpr vigil_attack_ref tactics[] = {vigil::attack::TA0005, vigil::attack::TA0009};
constexpr vigil_attack_ref techniques[] = {vigil::attack::T1070_004, T1005};
constexpr vigil_config_key config_keys[] = {
    vigil::config_key("canary_name", VIGIL_CONFIG_STRING, "\"vigil-canary\"",
                      "file name whose reading or deletion raises an alert (1 to 15 characters)"),
};
constexpr vigil_bpf_program programs[] = {
    // A stage (section "tp/vigil/open_enter"): listed like any program, put in the core dispatcher's
    // open_enter chain instead of being attached.
    vigil::bpf_program("canary_open_enter"), vigil::bpf_program("canary_unlinkat"),
    vigil::bpf_program("canary_unlink", nullptr, 0, VIGIL_PROGRAM_OPTIONAL), // no unlink(2) on arm64
};
constexpr const char *ring_buffers[] = {"canary_events"};

const vigil_bpf_object objects[] = {vigil::bpf_object("canary", canary__elf_bytes, programs, ring_buffers)};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<CanaryDetector>({
    .name = "canary",
    .version = "1.0.0",
    .description = "sample detector: a canary file read or deleted",
    .tactics = tactics,
    .techniques = techniques,
    .config_keys = config_keys,
    .bpf_objects = objects,
});

} // namespace
} // namespace vigil_canary

VIGIL_EXPORT_PLUGIN(vigil_canary::descriptor)
