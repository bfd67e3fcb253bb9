// SPDX-License-Identifier: Apache-2.0
// The cryptomining plugin's descriptor: what it detects, its options, the core
// events it reads and the BPF programs the sensor loads for it. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

#include "cryptomining.skel.h" // cryptomining__elf_bytes(): the compiled cryptomining.bpf.c

namespace vigil_cryptomining {
namespace {

using vigil::bpf_program;
using vigil::config_key;

constexpr std::array config_keys{
    config_key("containers_only", VIGIL_CONFIG_BOOL, "false",
               "Watch only processes in containers; by default a miner on the host is reported too."),
    config_key("miner_names", VIGIL_CONFIG_STRING_LIST,
               "[\"xmrig\", \"xmrig-notls\", \"xmrig-cuda\", \"xmrig-mo\", \"xmr-stak\", \"xmr-stak-*\", \"minerd\", "
               "\"cpuminer\", \"cpuminer-*\", "
               "\"ccminer\", \"cgminer\", \"bfgminer\", \"sgminer\", \"ethminer\", \"nbminer\", \"t-rex\", "
               "\"phoenixminer\", \"lolminer\", \"teamredminer\", \"nanominer\", \"srbminer\", \"srbminer-*\", "
               "\"gminer\", \"bminer\", \"wildrig-multi\", \"xmrigdaemon\", \"kryptex\", \"rigel\", \"onezerominer\"]",
               "Executable base names (case-insensitive globs) of miners; the exe's and argv[0]'s names are checked."),
    config_key("pool_ports", VIGIL_CONFIG_STRING_LIST,
               "[\"3333\", \"4444\", \"5555\", \"7777\", \"14433\", \"14444\", \"45700\"]",
               "TCP/UDP ports (at most 16) whose connect() is reported as a mining pool connection."),
    config_key("pool_domains", VIGIL_CONFIG_STRING_LIST,
               "[\"*.nanopool.org\", \"*.supportxmr.com\", \"*.minexmr.com\", \"*.moneroocean.stream\", "
               "\"*.hashvault.pro\", \"*.2miners.com\", \"*.f2pool.com\", \"*.c3pool.com\", \"*.herominers.com\", "
               "\"*.unmineable.com\", \"*.nicehash.com\", \"*.ethermine.org\", \"*.miningpoolhub.com\", "
               "\"*.xmrpool.eu\", \"*.dwarfpool.com\", \"*.zpool.ca\", \"*.minergate.com\", \"*.xmrig.com\", "
               "\"*.kryptex.network\", \"*.woolypooly.com\", \"*.viabtc.com\", \"*.antpool.com\", "
               "\"*.prohashing.com\", \"*.zergpool.com\"]",
               "DNS names of mining pools: \"*.example.org\" matches example.org and every name below it."),
    config_key("cpu_threshold_cores", VIGIL_CONFIG_FLOAT, "0.9",
               "CPU use, in cores, a process must keep up for cpu_window_s to be reported (1.0 is one core)."),
    config_key("cpu_window_s", VIGIL_CONFIG_INTEGER, "40",
               "Seconds a process must stay at or above cpu_threshold_cores before it is reported."),
    config_key("cpu_sample_interval_s", VIGIL_CONFIG_INTEGER, "5",
               "Seconds between two reads of a watched cgroup's CPU time."),
    config_key("cpu_include_host", VIGIL_CONFIG_BOOL, "false",
               "Also watch the CPU use of host processes' cgroups; by default only containers' are watched."),
    config_key("cpu_allowed_exes", VIGIL_CONFIG_STRING_LIST, "[]",
               "Executables (paths or case-insensitive globs) allowed to keep CPUs busy, such as \"*/ffmpeg\"."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"cryptomining.pool_connect\"."),
};

// Exec events carry miner execs and the cgroups to watch; a removed cgroup is forgotten.
constexpr std::array<uint16_t, 2> subscribed_kinds{VIGIL_KIND_PROCESS_EXEC, VIGIL_KIND_CGROUP_REMOVED};

// Group "syscalls": stages in the core dispatcher's connect_enter and dns_send chains (0), or
// raw_tp on every syscall where those cannot attach (1).
constexpr std::array programs{
    bpf_program("cryptomining_connect_enter", "syscalls", 0),
    bpf_program("cryptomining_dns_send", "syscalls", 0),
    bpf_program("sys_enter_raw", "syscalls", 1),
};

constexpr std::array<const char *, 1> ring_buffers{"cryptomining_events"};

const std::array bpf_objects{
    vigil::bpf_object(bpf_object_name, cryptomining__elf_bytes, programs, ring_buffers),
};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<CryptominingDetector>({
    .name = "cryptomining",
    .version = "0.1.0",
    .description = "Detects cryptocurrency mining (resource hijacking): miner executables and options, connections "
                   "to pool ports, DNS lookups of pool domains, and processes keeping CPUs busy for long.",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .subscribed_kinds = subscribed_kinds,
    .bpf_objects = bpf_objects,
});

} // namespace
} // namespace vigil_cryptomining

VIGIL_EXPORT_PLUGIN(vigil_cryptomining::descriptor)
