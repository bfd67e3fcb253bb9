// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/detector_objects.hpp"

#include <cerrno>
#include <map>
#include <vector>

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include "core/probes/load_time_constants.hpp"
#include "core/probes/probe_specs.hpp"
#include "core/probes/program_report.hpp"

namespace vigil::plugins {
namespace {

// A constant a plugin asked for in configure_bpf, applied each time its object is opened.
struct ConstantRequest {
    std::string object;
    std::string variable;
    std::vector<unsigned char> value;
};

// What a plugin asked of its objects in configure_bpf.
struct SetupRequests {
    std::vector<ConstantRequest> constants;
    std::map<std::string, std::map<std::string, std::string>> skipped; // object → program → reason
};

int collect_constant(void *context, const char *object, const char *variable, const void *value, std::size_t size)
{
    if (object == nullptr || variable == nullptr || value == nullptr || size == 0 || size > 4096) {
        return -EINVAL;
    }
    auto &requests = *static_cast<SetupRequests *>(context);
    const auto *bytes = static_cast<const unsigned char *>(value);
    requests.constants.push_back({object, variable, std::vector<unsigned char>(bytes, bytes + size)});
    return 0;
}

int collect_skip(void *context, const char *object, const char *program, const char *reason)
{
    if (object == nullptr || program == nullptr) {
        return -EINVAL;
    }
    auto &requests = *static_cast<SetupRequests *>(context);
    requests.skipped[object][program] = reason != nullptr && *reason != '\0' ? reason : "the plugin says so";
    return 0;
}

} // namespace

probes::ObjectSpec plugin_object_spec(const std::string &owner, const BpfObjectDescription &object)
{
    probes::ObjectSpec spec;
    spec.owner = owner;
    spec.name = object.name;
    spec.elf = object.elf;
    spec.elf_size = object.elf_size;
    for (const auto &program : object.programs) {
        spec.programs.push_back({program.name, program.group != nullptr ? program.group : "", program.preference,
                                 (program.flags & VIGIL_PROGRAM_OPTIONAL) != 0});
    }
    spec.ring_buffers = object.ring_buffers;
    return spec;
}

bool load_detector_objects(RunningPlugin &plugin, const probes::LoadSettings &settings,
                           const probes::HostNamespaces &host)
{
    const auto &descriptor = plugin.descriptor();
    SetupRequests requests;
    if (plugin.hooks().configure_bpf != nullptr) {
        vigil_bpf_setup setup{sizeof(vigil_bpf_setup), &requests, collect_constant, collect_skip};
        if (int status = plugin.hooks().configure_bpf(plugin.instance(), &setup); status != 0) {
            spdlog::error("{}: refused: configure_bpf failed ({})", plugin.library().path(), status);
            return false;
        }
    }
    for (const auto &object : descriptor.bpf_objects) {
        auto spec = plugin_object_spec(descriptor.name, object);
        if (auto skipped = requests.skipped.find(object.name); skipped != requests.skipped.end()) {
            spec.skipped = skipped->second;
        }
        bool reported = false;
        auto configure = [&](bpf_object *opened) {
            probes::set_common_constants(opened, spec, host, settings.ring_buffer_bytes);
            for (const auto &request : requests.constants) {
                if (request.object != object.name) {
                    continue;
                }
                auto status = probes::set_load_time_constant(opened, request.variable, request.value.data(),
                                                             request.value.size());
                if (status != probes::ConstantStatus::set && !reported) {
                    spdlog::error("{}: constant {} of object {}: {}", descriptor.name, request.variable, object.name,
                                  probes::constant_status_text(status));
                }
            }
            reported = true;
        };
        auto loaded = probes::load_object(spec, settings, configure);
        if (!loaded) {
            spdlog::error("{}: BPF object {}: {}", descriptor.name, object.name, loaded.error());
            continue;
        }
        probes::report_programs(**loaded);
        plugin.objects().push_back(std::move(*loaded));
    }
    if (!descriptor.bpf_objects.empty() && plugin.objects().empty()) {
        spdlog::error("{}: refused: none of its BPF objects loaded", plugin.library().path());
        return false;
    }
    return true;
}

} // namespace vigil::plugins
