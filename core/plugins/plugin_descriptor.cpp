// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_descriptor.hpp"

#include <cstddef>

#include <vigil/abi_support.hpp>

namespace vigil::plugins {
namespace {

bool valid_name(std::string_view name)
{
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (char character : name) {
        bool allowed =
            (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9') || character == '_';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

template <class T>
std::expected<std::vector<T>, std::string> copy_array(const T *array, uint32_t count, const char *what)
{
    std::vector<T> copies;
    if (count == 0) {
        return copies;
    }
    if (array == nullptr) {
        return std::unexpected(std::string(what) + " count is " + std::to_string(count) + " but the array is NULL");
    }
    if (array->struct_size < sizeof(uint32_t)) {
        return std::unexpected(std::string(what) + " elements declare a size of " + std::to_string(array->struct_size));
    }
    for (uint32_t index = 0; index < count; ++index) {
        copies.push_back(abi_copy(abi_array_at(array, index)));
    }
    return copies;
}

std::expected<void, std::string> check_attack_refs(const std::vector<vigil_attack_ref> &refs, const char *what)
{
    for (const auto &ref : refs) {
        if (ref.id == nullptr || ref.name == nullptr) {
            return std::unexpected(std::string(what) + " entry without an id or name");
        }
    }
    return {};
}

std::expected<BpfObjectDescription, std::string> read_bpf_object(const vigil_bpf_object &raw)
{
    if (raw.name == nullptr || raw.elf == nullptr || raw.elf_size == 0) {
        return std::unexpected(std::string("a BPF object without a name or ELF image"));
    }
    BpfObjectDescription object;
    object.name = raw.name;
    object.elf = raw.elf;
    object.elf_size = raw.elf_size;
    auto programs = copy_array(raw.programs, raw.program_count, "BPF program");
    if (!programs) {
        return std::unexpected(object.name + ": " + programs.error());
    }
    for (const auto &program : *programs) {
        if (program.name == nullptr) {
            return std::unexpected(object.name + ": a BPF program entry without a name");
        }
    }
    object.programs = std::move(*programs);
    if (raw.ring_buffer_count > 0 && raw.ring_buffers == nullptr) {
        return std::unexpected(object.name + ": ring buffer count without names");
    }
    for (uint32_t index = 0; index < raw.ring_buffer_count; ++index) {
        if (raw.ring_buffers[index] == nullptr) {
            return std::unexpected(object.name + ": a NULL ring buffer name");
        }
        object.ring_buffers.emplace_back(raw.ring_buffers[index]);
    }
    return object;
}

std::expected<void, std::string> check_hooks(const PluginDescriptor &descriptor)
{
    const auto &hooks = descriptor.hooks;
    if (hooks.init == nullptr || hooks.destroy == nullptr) {
        return std::unexpected(std::string("hooks init and destroy are required"));
    }
    if (descriptor.kind == VIGIL_PLUGIN_DETECTOR && hooks.on_event == nullptr) {
        return std::unexpected(std::string("a detector must implement on_event"));
    }
    if (descriptor.kind == VIGIL_PLUGIN_OUTPUT && (hooks.format == nullptr || hooks.send == nullptr)) {
        return std::unexpected(std::string("an output must implement format and send"));
    }
    return {};
}

// A list of static strings from the plugin; an entry that is NULL is an error.
std::expected<std::vector<std::string>, std::string> copy_strings(const char *const *items, uint32_t count,
                                                                  const char *what)
{
    std::vector<std::string> copies;
    if (count > 0 && items == nullptr) {
        return std::unexpected(std::string("default route: ") + what + " count without " + what);
    }
    for (uint32_t index = 0; index < count; ++index) {
        if (items[index] == nullptr) {
            return std::unexpected(std::string("default route: a NULL entry among its ") + what);
        }
        copies.emplace_back(items[index]);
    }
    return copies;
}

std::expected<alerts::Route, std::string> read_route(const vigil_route &raw)
{
    if (raw.min_severity > VIGIL_SEVERITY_CRITICAL) {
        return std::unexpected("default route: unknown minimum severity " + std::to_string(raw.min_severity));
    }
    auto tactics = copy_strings(raw.tactics, raw.tactic_count, "tactics");
    auto exclude_tactics = copy_strings(raw.exclude_tactics, raw.exclude_tactic_count, "excluded tactics");
    auto rules = copy_strings(raw.rules, raw.rule_count, "rules");
    auto exclude_rules = copy_strings(raw.exclude_rules, raw.exclude_rule_count, "excluded rules");
    for (const auto *list : {&tactics, &exclude_tactics, &rules, &exclude_rules}) {
        if (!*list) {
            return std::unexpected(list->error());
        }
    }
    alerts::Route route;
    route.min_severity = static_cast<vigil_severity>(raw.min_severity);
    route.tactics = std::move(*tactics);
    route.exclude_tactics = std::move(*exclude_tactics);
    route.rules = GlobList(std::move(*rules));
    route.exclude_rules = GlobList(std::move(*exclude_rules));
    return route;
}

} // namespace

std::string_view plugin_kind_name(vigil_plugin_kind kind)
{
    return kind == VIGIL_PLUGIN_OUTPUT ? "output" : "detector";
}

std::expected<PluginDescriptor, std::string> read_descriptor(const vigil_plugin_descriptor *raw)
{
    if (raw == nullptr) {
        return std::unexpected(std::string("the entry point returned no descriptor"));
    }
    if (!VIGIL_HAS_FIELD(raw, vigil_plugin_descriptor, abi_minor)) {
        return std::unexpected("descriptor too small to hold an ABI version (" + std::to_string(raw->struct_size) +
                               " bytes)");
    }
    if (raw->abi_major != VIGIL_ABI_MAJOR) {
        return std::unexpected("built for plugin ABI " + std::to_string(raw->abi_major) + "." +
                               std::to_string(raw->abi_minor) + ", this sensor speaks ABI " +
                               std::to_string(VIGIL_ABI_MAJOR) + "." + std::to_string(VIGIL_ABI_MINOR));
    }
    auto copy = abi_copy(raw);
    PluginDescriptor descriptor;
    descriptor.abi_major = copy.abi_major;
    descriptor.abi_minor = copy.abi_minor;
    if (copy.kind != VIGIL_PLUGIN_DETECTOR && copy.kind != VIGIL_PLUGIN_OUTPUT) {
        return std::unexpected("unknown plugin kind " + std::to_string(copy.kind));
    }
    descriptor.kind = static_cast<vigil_plugin_kind>(copy.kind);
    if (copy.name == nullptr || !valid_name(copy.name)) {
        return std::unexpected(std::string("plugin name must be 1 to 64 of [a-z0-9_]"));
    }
    descriptor.name = copy.name;
    descriptor.version = copy.version != nullptr ? copy.version : "";
    descriptor.description = copy.description != nullptr ? copy.description : "";

    auto tactics = copy_array(copy.tactics, copy.tactic_count, "tactic");
    auto techniques = copy_array(copy.techniques, copy.technique_count, "technique");
    auto keys = copy_array(copy.config_keys, copy.config_key_count, "config key");
    if (!tactics || !techniques || !keys) {
        return std::unexpected(!tactics ? tactics.error() : !techniques ? techniques.error() : keys.error());
    }
    if (auto checked = check_attack_refs(*tactics, "tactic"); !checked) {
        return std::unexpected(checked.error());
    }
    if (auto checked = check_attack_refs(*techniques, "technique"); !checked) {
        return std::unexpected(checked.error());
    }
    for (const auto &key : *keys) {
        if (key.name == nullptr || key.default_value == nullptr) {
            return std::unexpected(std::string("a config key without a name or default value"));
        }
    }
    descriptor.tactics = std::move(*tactics);
    descriptor.techniques = std::move(*techniques);
    descriptor.config_keys = std::move(*keys);

    if (copy.subscribed_kind_count > 0 && copy.subscribed_kinds == nullptr) {
        return std::unexpected(std::string("subscribed kind count without kinds"));
    }
    descriptor.subscribed_kinds.assign(copy.subscribed_kinds, copy.subscribed_kinds + copy.subscribed_kind_count);

    if (copy.bpf_object_count > 0) {
        auto objects = copy_array(copy.bpf_objects, copy.bpf_object_count, "BPF object");
        if (!objects) {
            return std::unexpected(objects.error());
        }
        for (const auto &raw_object : *objects) {
            auto object = read_bpf_object(raw_object);
            if (!object) {
                return std::unexpected(object.error());
            }
            descriptor.bpf_objects.push_back(std::move(*object));
        }
    }
    if (copy.hooks == nullptr) {
        return std::unexpected(std::string("the descriptor has no hooks"));
    }
    if (VIGIL_HAS_FIELD(&copy, vigil_plugin_descriptor, default_route) && copy.default_route != nullptr) {
        auto route = read_route(abi_copy(copy.default_route));
        if (!route) {
            return std::unexpected(route.error());
        }
        descriptor.default_route = std::move(*route);
    }
    descriptor.hooks = abi_copy(copy.hooks);
    if (auto checked = check_hooks(descriptor); !checked) {
        return std::unexpected(checked.error());
    }
    return descriptor;
}

} // namespace vigil::plugins
