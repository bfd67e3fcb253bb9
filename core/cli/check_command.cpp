// SPDX-License-Identifier: Apache-2.0
// `vigil check`: what this kernel offers, and which plugin programs can run on it.
// Everything is probed for real (loaded and attached for a moment), never
// guessed from the kernel version. Also whether the Kubernetes API server, if
// one is configured, answers the sensor's credentials.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/cli/commands.hpp"
#include "core/cli/loaded_config.hpp"
#include "core/containers/cgroup_directory.hpp"
#include "core/kubernetes/api_settings.hpp"
#include "core/kubernetes/pod_watcher.hpp"
#include "core/logging/logging.hpp"
#include "core/plugins/detector_objects.hpp"
#include "core/plugins/plugin_library.hpp"
#include "core/probes/hook_dispatch.hpp"
#include "core/probes/host_namespaces.hpp"
#include "core/probes/kernel_features.hpp"
#include "core/probes/probe_specs.hpp"
#include "core/probes/tracefs.hpp"

namespace vigil::cli {
namespace {

void print_feature(const probes::FeatureResult &feature)
{
    std::printf("  %-28s %-4s %s\n", feature.name.c_str(), feature.available ? "yes" : "no", feature.detail.c_str());
}

void print_programs(const probes::LoadedObject &object)
{
    for (const auto &program : object.programs()) {
        std::printf("    %-28s %-40s %s%s%s\n", program.name.c_str(), program.section.c_str(),
                    std::string(probes::program_state_text(program.state)).c_str(), program.reason.empty() ? "" : ": ",
                    program.reason.c_str());
    }
}

// Loads the object and prints every program; @kept holds it (and its stages in their chains)
// until the end. Returns false if a required program has no working alternative.
bool print_object(const probes::ObjectSpec &spec, const probes::LoadSettings &settings,
                  const probes::HostNamespaces &host, std::vector<std::unique_ptr<probes::LoadedObject>> &kept)
{
    std::printf("  %s/%s\n", spec.owner.c_str(), spec.name.c_str());
    auto loaded = probes::load_object(spec, settings, [&](bpf_object *object) {
        probes::set_common_constants(object, spec, host, settings.ring_buffer_bytes);
    });
    if (!loaded) {
        std::printf("    does not load: %s\n", loaded.error().c_str());
        return false;
    }
    print_programs(**loaded);
    bool complete = !(*loaded)->missing_required();
    kept.push_back(std::move(*loaded));
    return complete;
}

// The hot syscalls: which programs carry them, and the stages each one runs.
void print_hooks(const probes::HookDispatch &dispatch)
{
    std::printf("\nHooks (one core program per hot syscall tracepoint; the detectors' stages run from it)\n");
    for (const auto &hook : dispatch.hooks()) {
        if (!hook.attached) {
            std::printf("  %-28s not attached: %s\n", hook.name.c_str(), hook.detail.c_str());
            continue;
        }
        std::string stages;
        for (const auto &stage : hook.container_stages) {
            auto host = std::find(hook.host_stages.begin(), hook.host_stages.end(), stage) != hook.host_stages.end();
            stages += (stages.empty() ? "" : ", ") + stage + (host ? " (host tasks too)" : "");
        }
        std::printf("  %-28s %s\n  %-28s stages: %s\n", hook.name.c_str(), hook.detail.c_str(), "", stages.c_str());
        if (!hook.filter.empty()) {
            std::printf("  %-28s runs for: %s\n", "", hook.filter.c_str());
        }
    }
}

// The API server the sensor would watch pods on, asked once what the watcher
// asks (this node's pods, limit=1). Only reported: the sensor runs without it,
// its alerts then carry no pod metadata.
void print_kubernetes(const config::Config &config)
{
    // Short: a server that does not answer in this time would not serve the watcher well either.
    constexpr std::chrono::seconds timeout{5};
    std::printf("\nKubernetes API (pod metadata for alerts)\n");
    auto api = kubernetes::resolve_api_settings(config.kubernetes, kubernetes::process_environment);
    if (!api) {
        std::printf("  unusable: %s (`vigil run` refuses this configuration)\n", api.error().c_str());
        return;
    }
    if (!*api) {
        std::printf("  not configured ([kubernetes] api_server = \"%s\"%s): alerts carry only what the cgroup path "
                    "gives\n",
                    config.kubernetes.api_server.c_str(),
                    config.kubernetes.api_server == "auto" ? ", not in a cluster" : "");
        return;
    }
    const auto &settings = **api;
    auto node = node_name(config);
    std::printf("  %-28s %s (%s)\n", "server", settings.server.c_str(), settings.origin.c_str());
    auto status = kubernetes::probe_pod_access(settings, node, timeout);
    auto label = "pods of node " + node;
    auto detail = status.detail.empty() ? std::string() : ": " + status.detail;
    using State = kubernetes::ApiStatus::State;
    switch (status.state) {
    case State::ok:
        std::printf("  %-28s ok (listed with limit=1)\n", label.c_str());
        break;
    case State::refused:
        std::printf("  %-28s refused: the API server refused the credentials: HTTP %ld %s from %s%s\n", label.c_str(),
                    status.http_status, kubernetes::http_status_name(status.http_status), status.server.c_str(),
                    detail.c_str());
        std::printf("  %-28s alerts will go out without pod metadata (k8s.source \"unresolved\")\n", "");
        break;
    case State::unreachable:
        std::printf("  %-28s unreachable: %s%s\n", label.c_str(), status.server.c_str(), detail.c_str());
        break;
    case State::failing:
    case State::connecting:
        std::printf("  %-28s failed: HTTP %ld from %s%s\n", label.c_str(), status.http_status, status.server.c_str(),
                    detail.c_str());
        break;
    }
}

} // namespace

int check_command(const CommandOptions &options)
{
    auto config = load_config_or_report(options.config_path);
    if (!config) {
        return 2;
    }
    logging::QuietLibbpf quiet;
    auto tracefs = probes::ensure_tracefs(config->sensor.mount_tracefs);
    auto cgroup2 = containers::find_cgroup2_mount().value_or("");
    auto features = probes::probe_kernel_features(cgroup2, tracefs);

    std::printf("vigil %s on Linux %s\n\nAttach types\n", VIGIL_VERSION, features.kernel_release.c_str());
    for (const auto &feature : features.attach_types) {
        print_feature(feature);
    }
    std::printf("\nKernel features\n");
    for (const auto &feature : features.features) {
        print_feature(feature);
    }

    probes::LoadSettings settings;
    settings.disabled_types = probes::disabled_attach_types(config->sensor);
    settings.ring_buffer_bytes = config->sensor.ring_buffer_kib * 1024;
    auto host = probes::discover_host_namespaces(config->sensor.host_proc);

    std::printf("\nPrograms (loaded and attached for a moment, then detached)\n");
    std::vector<std::unique_ptr<probes::LoadedObject>> kept;
    bool complete = print_object(probes::core_lifecycle_spec(), settings, host, kept);
    auto dispatch = probes::HookDispatch::load(settings, host);
    if (dispatch) {
        settings.stages = dispatch->get();
    } else {
        std::printf("  core/hook_dispatch\n    does not load: %s (detectors use their fallback programs)\n",
                    dispatch.error().c_str());
    }
    auto directory = plugin_directory(*config);
    auto plugins = plugins::load_plugin_directory(directory);
    for (const auto &plugin : plugins.plugins) {
        for (const auto &object : plugin->descriptor().bpf_objects) {
            complete =
                print_object(plugins::plugin_object_spec(plugin->descriptor().name, object), settings, host, kept) &&
                complete;
        }
    }
    if (dispatch) {
        std::printf("  core/hook_dispatch\n");
        print_programs((*dispatch)->object());
        print_hooks(**dispatch);
    }
    kept.clear(); // the stages leave their chains before the dispatcher goes
    if (!plugins.refused.empty()) {
        std::printf("\nPlugins refused (from %s)\n", directory.c_str());
        for (const auto &refusal : plugins.refused) {
            std::printf("  %s %s\n", refusal.file.c_str(), refusal.reason.c_str());
        }
    }
    print_kubernetes(*config);
    std::printf("\n%s\n", complete ? "Every required program has a working hook on this kernel."
                                   : "Some required programs have no working hook here: see above.");
    return complete ? 0 : 1;
}

} // namespace vigil::cli
