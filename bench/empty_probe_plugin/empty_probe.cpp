// SPDX-License-Identifier: Apache-2.0
// Benchmark floors: a detector whose only programs are one on each tracepoint
// the core's dispatcher uses (opens and their exits, connect, execve and
// execveat and their exits). Empty, a run with it measures what attaching
// anything there costs; with read_arguments, what reading the argument a
// detector needs (the connect address, a path's first bytes) costs on top;
// with check_arguments, what checking an open's whole path or a connect's
// address against a per-container set in a hash map costs.
#include <array>

#include <vigil/detector.hpp>

#include "empty_probe.skel.h"

namespace vigil_empty_probe {
namespace {

class EmptyProbe final : public vigil::Detector {
public:
    EmptyProbe(vigil::Host host, const vigil::Config &config)
        : Detector(host), read_arguments_(config.get_bool("read_arguments")),
          check_arguments_(config.get_bool("check_arguments"))
    {
    }
    void configure_bpf(const vigil::BpfSetup &setup) override
    {
        setup.set_constant("empty_probe", "read_arguments", read_arguments_);
        setup.set_constant("empty_probe", "check_arguments", check_arguments_);
    }
    void on_event(const vigil::Event &) override {}

private:
    bool read_arguments_;
    bool check_arguments_;
};

constexpr std::array config_keys{
    vigil::config_key("read_arguments", VIGIL_CONFIG_BOOL, "false",
                      "Entry programs read the connect address or the path's first bytes from user memory."),
    vigil::config_key("check_arguments", VIGIL_CONFIG_BOOL, "false",
                      "Open and connect entries read the whole path or the address, hash it and look the "
                      "container's (cgroup, hash) up in a hash map, adding it when missing."),
};

constexpr std::array programs
{
#if defined(__x86_64__)
    vigil::bpf_program("empty_open_enter"), vigil::bpf_program("empty_open_exit"), // open(2): x86-64 only
#endif
        vigil::bpf_program("empty_openat_enter"), vigil::bpf_program("empty_openat_exit"),
        vigil::bpf_program("empty_openat2_enter"), vigil::bpf_program("empty_openat2_exit"),
        vigil::bpf_program("empty_connect_enter"), vigil::bpf_program("empty_execve_enter"),
        vigil::bpf_program("empty_execve_exit"), vigil::bpf_program("empty_execveat_enter"),
        vigil::bpf_program("empty_execveat_exit"),
};
const vigil_bpf_object objects[] = {vigil::bpf_object("empty_probe", empty_probe__elf_bytes, programs, {})};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<EmptyProbe>({
    .name = "empty_probe",
    .version = "1.3.0",
    .description = "benchmark: an empty program on every tracepoint of the core's dispatcher "
                   "(open, openat, openat2 and their exits, connect, execve, execveat and their exits)",
    .config_keys = config_keys,
    .bpf_objects = objects,
});

} // namespace
} // namespace vigil_empty_probe

VIGIL_EXPORT_PLUGIN(vigil_empty_probe::descriptor)
