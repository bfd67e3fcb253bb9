// SPDX-License-Identifier: Apache-2.0
// The lateral_movement plugin's descriptor: what it detects, its options, and
// the BPF programs the sensor loads for it. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

#include "lateral_movement.skel.h" // lateral_movement__elf_bytes(): the compiled lateral_movement.bpf.c

namespace vigil_lateral_movement {
namespace {

using vigil::bpf_program;
using vigil::config_key;

constexpr std::array config_keys{
    config_key("token_paths", VIGIL_CONFIG_STRING_LIST,
               "[\"/var/run/secrets/kubernetes.io/serviceaccount/token\", "
               "\"/var/run/secrets/kubernetes.io/serviceaccount/..*/token\", "
               "\"/run/secrets/kubernetes.io/serviceaccount/token\", "
               "\"/run/secrets/kubernetes.io/serviceaccount/..*/token\"]",
               "Service-account token files (fnmatch globs, '*' stops at '/', matched on the normalized path); "
               "each must start with a literal directory, and at most 4 different ones."),
    config_key("known_api_clients", VIGIL_CONFIG_STRING_LIST, "[]",
               "Executables (paths or fnmatch globs) whose token reads and API server connects are expected, "
               "such as \"/usr/local/bin/my-operator\"; they raise no token_read, api_server_connect or "
               "token_then_api_connect alert."),
    config_key("api_server_endpoints", VIGIL_CONFIG_STRING_LIST, "[]",
               "The Kubernetes API server as pods reach it: \"address:port\", \"[v6]:port\", \"address\" (any "
               "port), e.g. [\"10.96.0.1:443\", \"192.168.1.10:6443\"]."),
    config_key("api_server_from_environment", VIGIL_CONFIG_BOOL, "true",
               "Also watch KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT of the sensor's own environment, set "
               "when it runs in a pod."),
    config_key("kubelet_endpoints", VIGIL_CONFIG_STRING_LIST, "[\":10250\", \":10255\"]",
               "Kubelet API endpoints; \":port\" is that port on any address."),
    config_key("etcd_endpoints", VIGIL_CONFIG_STRING_LIST, "[\":2379\", \":2380\"]", "etcd client and peer endpoints."),
    config_key("metadata_endpoints", VIGIL_CONFIG_STRING_LIST, "[\"169.254.169.254\", \"[fd00:ec2::254]\"]",
               "Cloud instance metadata endpoints; an address alone is any port."),
    config_key("correlation_window_s", VIGIL_CONFIG_INTEGER, "300",
               "Seconds within which a token read and an API server connect by one process tree are one "
               "correlated alert (1 to 86400)."),
    config_key("correlation_capacity", VIGIL_CONFIG_INTEGER, "256",
               "Token reads and API server connects remembered for correlation, each (16 to 65536); the oldest "
               "makes room for the newest."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"lateral_movement.metadata_connect\"."),
};

// Group "syscalls": stages in the core dispatcher's open_enter and connect_enter chains (0), or
// raw_tp on every syscall where the dispatcher cannot attach (1).
constexpr std::array programs{
    bpf_program("lateral_open_enter", "syscalls", 0),
    bpf_program("lateral_connect_enter", "syscalls", 0),
    bpf_program("sys_enter_raw", "syscalls", 1),
};

constexpr std::array<const char *, 1> ring_buffers{"lateral_events"};

const std::array bpf_objects{
    vigil::bpf_object(bpf_object_name, lateral_movement__elf_bytes, programs, ring_buffers),
};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<LateralMovementDetector>({
    .name = "lateral_movement",
    .version = "0.1.0",
    .description = "Detects service-account token reads in containers and connects from containers to the "
                   "Kubernetes API server, the kubelet, etcd and the cloud metadata service, and correlates a "
                   "token read with an API server connect by one process tree.",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .bpf_objects = bpf_objects,
});

} // namespace
} // namespace vigil_lateral_movement

VIGIL_EXPORT_PLUGIN(vigil_lateral_movement::descriptor)
