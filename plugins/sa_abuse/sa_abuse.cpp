// SPDX-License-Identifier: Apache-2.0
// The sa_abuse plugin's descriptor: what it detects and its options. It has
// no BPF object: it reads Kubernetes audit events, the core's exec events to
// pair a pods/exec request with the process it started, and other detectors'
// alerts to chain them with its own. See README.md.
#include <array>

#include <vigil/detector.hpp>

#include "detector.hpp"
#include "rules.hpp"

namespace vigil_sa_abuse {
namespace {

using vigil::config_key;

constexpr std::array config_keys{
    config_key("pods_exec_ignore_users", VIGIL_CONFIG_STRING_LIST, "[]",
               "User names (fnmatch globs) whose pods/exec and pods/attach raise nothing, such as "
               "\"system:serviceaccount:ci:runner\"; the rule applies to every user."),
    config_key("rbac_change_ignore_accounts", VIGIL_CONFIG_STRING_LIST, "[\"kube-system:*\"]",
               "Service accounts (\"<namespace>:<name>\" globs) whose role and binding changes raise nothing; "
               "the kube-system controllers maintain roles all the time."),
    config_key("discovery_ignore_accounts", VIGIL_CONFIG_STRING_LIST, "[\"kube-system:*\"]",
               "Service accounts (\"<namespace>:<name>\" globs) left out of access_review_burst and "
               "secret_enumeration."),
    config_key("token_source_ignore_accounts", VIGIL_CONFIG_STRING_LIST, "[\"kube-system:*\"]",
               "Service accounts (\"<namespace>:<name>\" globs) left out of token_foreign_source."),
    config_key("unusual_call_ignore_accounts", VIGIL_CONFIG_STRING_LIST, "[\"kube-system:*\"]",
               "Service accounts (\"<namespace>:<name>\" globs) left out of unusual_call."),
    config_key("discovery_window_s", VIGIL_CONFIG_INTEGER, "60",
               "The sliding window of access_review_burst and secret_enumeration, in seconds (1 to 86400)."),
    config_key("access_review_threshold", VIGIL_CONFIG_INTEGER, "10",
               "More self-subject access or rules reviews than this by one service account within the window "
               "is a burst (1 to 100000)."),
    config_key("secret_read_threshold", VIGIL_CONFIG_INTEGER, "5",
               "More gets and lists of secrets outside its own namespace than this by one service account "
               "within the window is enumeration (1 to 100000)."),
    config_key("token_source_learn_calls", VIGIL_CONFIG_INTEGER, "3",
               "The first calls made with a pod's bound token from which the addresses it is used from are "
               "learned (1 to 1000)."),
    config_key("warmup_s", VIGIL_CONFIG_INTEGER, "600",
               "Seconds from a service account's first call during which unusual_call learns what it does "
               "(0 to 2592000)."),
    config_key("max_tracked", VIGIL_CONFIG_INTEGER, "4096",
               "Service accounts and pods each table remembers (16 to 1000000)."),
    config_key("max_calls_per_account", VIGIL_CONFIG_INTEGER, "256",
               "Distinct calls (verb, resource, subresource, namespace) unusual_call learns per account; an "
               "account that makes more during warm-up is not judged (8 to 100000)."),
    config_key("exec_join_window_s", VIGIL_CONFIG_INTEGER, "30",
               "Seconds, by arrival at the sensor, within which a pods/exec request and a process the runtime "
               "started in that pod's container are paired (1 to 600); covers the webhook's batching delay."),
    config_key("chain_window_s", VIGIL_CONFIG_INTEGER, "900",
               "Seconds, by arrival at the sensor, within which a container-side finding in a pod and an "
               "audit-side finding for that pod's service account form one sa_abuse.chain alert (1 to 86400)."),
    config_key("chain_container_plugins", VIGIL_CONFIG_STRING_LIST, "[\"escape\", \"lateral_movement\", \"injection\"]",
               "Detectors whose alerts in a pod are the container side of sa_abuse.chain."),
    config_key("disabled_rules", VIGIL_CONFIG_STRING_LIST, "[]",
               "Rule ids to switch off, such as \"sa_abuse.unusual_call\"."),
};

// Audit events for every rule; exec events to pair a pods/exec with the process it started;
// other detectors' alerts as the container side of a chain.
constexpr std::array<uint16_t, 3> subscribed_kinds{VIGIL_KIND_AUDIT_EVENT, VIGIL_KIND_PROCESS_EXEC,
                                                   VIGIL_KIND_ALERT_RAISED};

const vigil_plugin_descriptor descriptor = vigil::describe_detector<SaAbuseDetector>({
    .name = "sa_abuse",
    .version = "0.1.0",
    .description = "Detects service-account abuse in Kubernetes audit events: pods/exec, RBAC changes, "
                   "permission and secret discovery bursts, a pod's token used from elsewhere, calls an account "
                   "never made during its warm-up, and chains of those with escape, lateral movement or injection "
                   "findings in the account's pod.",
    .tactics = all_tactics(),
    .techniques = all_techniques(),
    .config_keys = config_keys,
    .subscribed_kinds = subscribed_kinds,
});

} // namespace
} // namespace vigil_sa_abuse

VIGIL_EXPORT_PLUGIN(vigil_sa_abuse::descriptor)
