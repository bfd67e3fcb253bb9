// SPDX-License-Identifier: Apache-2.0
// The drift plugin's descriptor: what it detects, its options, and the BPF
// programs the sensor loads for it. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

#include "drift.skel.h" // drift__elf_bytes(): the compiled drift.bpf.c

namespace vigil_drift {
namespace {

using vigil::bpf_program;
using vigil::config_key;

constexpr std::array config_keys{
    config_key("learning_min_s", VIGIL_CONFIG_INTEGER, "604800",
               "Seconds a class of behaviour learns at least (7 days) before it can become stable."),
    config_key("learning_quiet_s", VIGIL_CONFIG_INTEGER, "86400",
               "After learning_min_s, seconds with nothing new that make a class stable (1 day)."),
    config_key("learning_max_s", VIGIL_CONFIG_INTEGER, "1209600",
               "Seconds after which a class stops learning even if it still grows (14 days); it is then stable, or "
               "unstable if it passed max_entries_per_class."),
    config_key("relearn_s", VIGIL_CONFIG_INTEGER, "10800",
               "Seconds a new version of a workload (pod-template hash or image) re-learns from the previous "
               "version's profile (3 hours); only dropped binaries and the other detectors alert meanwhile."),
    config_key("max_entries_per_class", VIGIL_CONFIG_INTEGER, "1000",
               "Entries a class may hold; one that still grows past it is unstable and raises no drift alerts."),
    config_key("collapse_after_children", VIGIL_CONFIG_INTEGER, "20",
               "Distinct files of one directory (addresses of one network, names under one domain) after which "
               "they are held as one pattern, such as \"write /tmp/*\"."),
    config_key("max_versions_per_workload", VIGIL_CONFIG_INTEGER, "3",
               "Versions of one workload's profile kept; the oldest not running is dropped first."),
    config_key("max_profiles", VIGIL_CONFIG_INTEGER, "10000",
               "Profiles kept in all; beyond it, the one idle longest is evicted."),
    config_key("metadata_wait_s", VIGIL_CONFIG_INTEGER, "30",
               "Seconds a container's behaviour waits for its pod's metadata from the API server before it feeds "
               "a profile keyed by its cgroup only."),
    config_key("save_interval_s", VIGIL_CONFIG_INTEGER, "10",
               "Seconds between two writes of changed profiles to <state_directory>/drift/profiles.db."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"drift.new_file_write\"."),
};

// The stages run from the core's dispatcher; listen, a rare syscall, has its own program.
constexpr std::array programs{
    bpf_program("drift_execve_exit", "syscalls", 0),   bpf_program("drift_open_enter", "syscalls", 0),
    bpf_program("drift_connect_enter", "syscalls", 0), bpf_program("drift_dns_send", "syscalls", 0),
    bpf_program("drift_listen", "syscalls", 0),
};

constexpr std::array<const char *, 1> ring_buffers{"drift_events"};

const std::array bpf_objects{
    vigil::bpf_object(bpf_object_name, drift__elf_bytes, programs, ring_buffers),
};

constexpr std::array<uint16_t, 2> subscribed_kinds{VIGIL_KIND_PROCESS_EXEC, VIGIL_KIND_CGROUP_REMOVED};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<DriftDetector>({
    .name = "drift",
    .version = "0.1.0",
    .description = "Learns what each workload's containers run, open, connect to, listen on and look up, and alerts "
                   "on what a stable profile never held and on executions of files dropped into a container.",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .subscribed_kinds = subscribed_kinds,
    .bpf_objects = bpf_objects,
});

} // namespace
} // namespace vigil_drift

VIGIL_EXPORT_PLUGIN(vigil_drift::descriptor)
