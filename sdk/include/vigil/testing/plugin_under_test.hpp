// SPDX-License-Identifier: Apache-2.0
// The plugin under test, opened the way the sensor opens it: dlopen, the one
// entry point, and the descriptor checked (struct_size and abi_major first)
// before anything else is read. The rest of the fake host starts from here, so
// a plugin the sensor would refuse to load never reaches a test's hooks.
#pragma once

#include <dlfcn.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/plugin_abi.h>

namespace vigil::testing {

// The elements of an ABI array, stepped by their own struct_size as the sensor
// steps them (a plugin built against a newer minor has larger elements).
template <class T> std::vector<const T *> abi_elements(const T *array, uint32_t count)
{
    std::vector<const T *> items;
    for (uint32_t index = 0; index < count && array != nullptr; ++index) {
        items.push_back(abi_array_at(array, index));
    }
    return items;
}

class PluginUnderTest {
public:
    // Loads the plugin at @plugin_path and checks its descriptor; throws std::runtime_error if it cannot.
    explicit PluginUnderTest(const std::string &plugin_path)
    {
        handle_ = dlopen(plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr) {
            const char *error = dlerror();
            throw std::runtime_error("cannot load " + plugin_path + ": " + (error != nullptr ? error : "?"));
        }
        try {
            check(plugin_path);
        } catch (...) {
            dlclose(handle_);
            throw;
        }
    }
    ~PluginUnderTest() { dlclose(handle_); }

    PluginUnderTest(const PluginUnderTest &) = delete;
    PluginUnderTest &operator=(const PluginUnderTest &) = delete;

    const vigil_plugin_descriptor &descriptor() const { return *descriptor_; }
    std::string_view name() const { return descriptor_->name; }
    // The plugin's hooks as this side knows them: those beyond its struct_size are NULL.
    const vigil_plugin_hooks &hooks() const { return hooks_; }

    std::vector<const vigil_config_key *> config_keys() const
    {
        return abi_elements(descriptor_->config_keys, descriptor_->config_key_count);
    }
    const vigil_config_key *config_key(std::string_view name) const
    {
        for (const auto *key : config_keys()) {
            if (name == key->name) {
                return key;
            }
        }
        return nullptr;
    }
    std::vector<const vigil_attack_ref *> tactics() const
    {
        return abi_elements(descriptor_->tactics, descriptor_->tactic_count);
    }
    std::vector<const vigil_attack_ref *> techniques() const
    {
        return abi_elements(descriptor_->techniques, descriptor_->technique_count);
    }
    std::vector<const vigil_bpf_object *> bpf_objects() const
    {
        return abi_elements(descriptor_->bpf_objects, descriptor_->bpf_object_count);
    }
    static std::vector<const vigil_bpf_program *> programs(const vigil_bpf_object &object)
    {
        return abi_elements(object.programs, object.program_count);
    }
    static std::vector<std::string> ring_buffers(const vigil_bpf_object &object)
    {
        std::vector<std::string> names;
        for (uint32_t index = 0; index < object.ring_buffer_count; ++index) {
            names.emplace_back(object.ring_buffers[index]);
        }
        return names;
    }

private:
    // Finds the entry point and checks the descriptor in the sensor's order.
    void check(const std::string &plugin_path)
    {
        auto entry = reinterpret_cast<vigil_plugin_entry_fn>(dlsym(handle_, VIGIL_PLUGIN_ENTRY_SYMBOL));
        if (entry == nullptr) {
            throw std::runtime_error(plugin_path + " exports no " VIGIL_PLUGIN_ENTRY_SYMBOL);
        }
        descriptor_ = entry();
        if (descriptor_ == nullptr) {
            throw std::runtime_error(plugin_path + ": the entry point returned no descriptor");
        }
        // struct_size and abi_major before anything else.
        if (!VIGIL_HAS_FIELD(descriptor_, vigil_plugin_descriptor, abi_major)) {
            throw std::runtime_error(plugin_path + ": descriptor too small to hold abi_major");
        }
        if (descriptor_->abi_major != VIGIL_ABI_MAJOR) {
            throw std::runtime_error(plugin_path + ": built for ABI major " + std::to_string(descriptor_->abi_major) +
                                     ", this host speaks " + std::to_string(VIGIL_ABI_MAJOR));
        }
        if (!VIGIL_HAS_FIELD(descriptor_, vigil_plugin_descriptor, hooks) || descriptor_->hooks == nullptr ||
            descriptor_->name == nullptr) {
            throw std::runtime_error(plugin_path + ": descriptor without name or hooks");
        }
        // Hooks a plugin built against an older minor does not have read as NULL.
        hooks_ = abi_copy(descriptor_->hooks);
        if (hooks_.init == nullptr) {
            throw std::runtime_error(plugin_path + ": no init hook");
        }
        for (const auto *key : config_keys()) {
            if (key->name == nullptr || key->default_value == nullptr) {
                throw std::runtime_error(plugin_path + ": a config key without name or default");
            }
        }
    }

    void *handle_ = nullptr;
    const vigil_plugin_descriptor *descriptor_ = nullptr;
    vigil_plugin_hooks hooks_{};
};

} // namespace vigil::testing
