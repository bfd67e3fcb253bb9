// SPDX-License-Identifier: Apache-2.0
// Benchmark floor: a detector whose only programs are empty, so a run with it
// measures what attaching anything to sys_enter_openat or sys_enter_connect costs.
#include <vigil/detector.hpp>

#include "empty_probe.skel.h"

namespace vigil_empty_probe {
namespace {

class EmptyProbe final : public vigil::Detector {
public:
    EmptyProbe(vigil::Host host, const vigil::Config &) : Detector(host) {}
    void on_event(const vigil::Event &) override {}
};

constexpr vigil_bpf_program programs[] = {vigil::bpf_program("empty_openat"), vigil::bpf_program("empty_connect")};
const vigil_bpf_object objects[] = {vigil::bpf_object("empty_probe", empty_probe__elf_bytes, programs, {})};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<EmptyProbe>({
    .name = "empty_probe",
    .version = "1.0.0",
    .description = "benchmark: empty programs on sys_enter_openat and sys_enter_connect",
    .bpf_objects = objects,
});

} // namespace
} // namespace vigil_empty_probe

VIGIL_EXPORT_PLUGIN(vigil_empty_probe::descriptor)
