// SPDX-License-Identifier: Apache-2.0
// Describing a plugin and exporting its one entry point.
//
//   static const vigil_plugin_descriptor descriptor =
//       vigil::describe_detector<MyDetector>({.name = "mine", ...});
//   VIGIL_EXPORT_PLUGIN(descriptor)
#pragma once

#include <cstdint>
#include <span>

#include <vigil/plugin_abi.h>

// Exports the entry point; the only symbol a plugin makes visible.
#define VIGIL_EXPORT_PLUGIN(descriptor)                                                                                \
    extern "C" __attribute__((visibility("default"))) const vigil_plugin_descriptor *vigil_plugin_entry(void)          \
    {                                                                                                                  \
        return &(descriptor);                                                                                          \
    }

namespace vigil {

// What a plugin says about itself, with spans instead of pointer and count pairs.
struct PluginInfo {
    const char *name = nullptr;
    const char *version = nullptr;
    const char *description = nullptr;
    std::span<const vigil_attack_ref> tactics{};
    std::span<const vigil_attack_ref> techniques{};
    std::span<const vigil_config_key> config_keys{};
    std::span<const uint16_t> subscribed_kinds{};
    std::span<const vigil_bpf_object> bpf_objects{};
    const vigil_route *default_route = nullptr; // outputs: which alerts by default (see vigil::route)
};

// An output's default route. Spans of static strings, like the rest of a descriptor.
struct RouteInfo {
    vigil_severity min_severity = VIGIL_SEVERITY_INFO;
    std::span<const char *const> tactics{};
    std::span<const char *const> exclude_tactics{};
    std::span<const char *const> rules{};
    std::span<const char *const> exclude_rules{};
};

constexpr vigil_route route(const RouteInfo &info)
{
    return vigil_route{sizeof(vigil_route),         static_cast<uint32_t>(info.min_severity),
                       info.tactics.data(),         static_cast<uint32_t>(info.tactics.size()),
                       info.exclude_tactics.data(), static_cast<uint32_t>(info.exclude_tactics.size()),
                       info.rules.data(),           static_cast<uint32_t>(info.rules.size()),
                       info.exclude_rules.data(),   static_cast<uint32_t>(info.exclude_rules.size())};
}

constexpr vigil_config_key config_key(const char *name, vigil_config_type type, const char *default_value,
                                      const char *doc)
{
    return vigil_config_key{sizeof(vigil_config_key), name, static_cast<uint32_t>(type), default_value, doc};
}

constexpr vigil_bpf_program bpf_program(const char *name, const char *group = nullptr, uint32_t preference = 0,
                                        uint32_t flags = 0)
{
    return vigil_bpf_program{sizeof(vigil_bpf_program), name, group, preference, flags};
}

constexpr vigil_plugin_descriptor describe(vigil_plugin_kind kind, const PluginInfo &info,
                                           const vigil_plugin_hooks *hooks)
{
    vigil_plugin_descriptor descriptor{};
    descriptor.struct_size = sizeof(descriptor);
    descriptor.abi_major = VIGIL_ABI_MAJOR;
    descriptor.abi_minor = VIGIL_ABI_MINOR;
    descriptor.kind = kind;
    descriptor.name = info.name;
    descriptor.version = info.version;
    descriptor.description = info.description;
    descriptor.tactics = info.tactics.data();
    descriptor.tactic_count = static_cast<uint32_t>(info.tactics.size());
    descriptor.techniques = info.techniques.data();
    descriptor.technique_count = static_cast<uint32_t>(info.techniques.size());
    descriptor.config_keys = info.config_keys.data();
    descriptor.config_key_count = static_cast<uint32_t>(info.config_keys.size());
    descriptor.subscribed_kinds = info.subscribed_kinds.data();
    descriptor.subscribed_kind_count = static_cast<uint32_t>(info.subscribed_kinds.size());
    descriptor.bpf_objects = info.bpf_objects.data();
    descriptor.bpf_object_count = static_cast<uint32_t>(info.bpf_objects.size());
    descriptor.hooks = hooks;
    descriptor.default_route = info.default_route;
    return descriptor;
}

} // namespace vigil

namespace vigil {

// One embedded BPF object. @elf_bytes is the skeleton's "<name>__elf_bytes" function.
inline vigil_bpf_object bpf_object(const char *name, const void *(*elf_bytes)(std::size_t *),
                                   std::span<const vigil_bpf_program> programs,
                                   std::span<const char *const> ring_buffers)
{
    vigil_bpf_object object{};
    object.struct_size = sizeof(object);
    object.name = name;
    object.elf = elf_bytes(&object.elf_size);
    object.programs = programs.data();
    object.program_count = static_cast<uint32_t>(programs.size());
    object.ring_buffers = ring_buffers.data();
    object.ring_buffer_count = static_cast<uint32_t>(ring_buffers.size());
    return object;
}

} // namespace vigil
