// SPDX-License-Identifier: Apache-2.0
// The sensor's own copy of what a plugin declares, checked field by field.
//
// The raw descriptor lives in the plugin's memory and was written by a
// compiler the sensor knows nothing about: every struct is read through its
// struct_size (fields it does not have read as zero), every array is stepped by
// its elements' own size, and every required pointer is checked before use.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

#include "core/alerts/route.hpp"

namespace vigil::plugins {

struct BpfObjectDescription {
    std::string name;
    const void *elf = nullptr; // in the plugin's memory: valid while the library is loaded
    std::size_t elf_size = 0;
    std::vector<vigil_bpf_program> programs;
    std::vector<std::string> ring_buffers;
};

struct PluginDescriptor {
    std::string name;
    std::string version;
    std::string description;
    vigil_plugin_kind kind = VIGIL_PLUGIN_DETECTOR;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    std::vector<vigil_attack_ref> tactics; // strings point into the plugin
    std::vector<vigil_attack_ref> techniques;
    std::vector<vigil_config_key> config_keys;
    std::vector<uint16_t> subscribed_kinds;
    std::vector<BpfObjectDescription> bpf_objects;
    vigil_plugin_hooks hooks{};
    alerts::Route default_route; // outputs (ABI 1.2): every alert when the plugin proposes none
};

std::string_view plugin_kind_name(vigil_plugin_kind kind);

// Checks the ABI version first and only then reads the rest. The error says
// what is wrong, e.g. "built for plugin ABI 2.0, this sensor speaks 1.0".
std::expected<PluginDescriptor, std::string> read_descriptor(const vigil_plugin_descriptor *raw);

} // namespace vigil::plugins
