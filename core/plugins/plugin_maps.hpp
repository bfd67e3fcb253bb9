// SPDX-License-Identifier: Apache-2.0
// A plugin's writes into the maps of its own loaded BPF objects (ABI 1.7
// map_update and map_delete): found by the names its descriptor gives, sizes
// checked against the map's, errors as negative errno values.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/probes/object_loader.hpp"

struct bpf_map;

namespace vigil::plugins {

class PluginMaps {
public:
    using Objects = std::vector<std::unique_ptr<probes::LoadedObject>>;

    // @objects: the plugin's, owned by its RunningPlugin, which outlives this; empty until they load.
    explicit PluginMaps(const Objects *objects = nullptr) : objects_(objects) {}
    void set_objects(const Objects *objects) { objects_ = objects; }

    int update(const char *object, const char *map, const void *key, uint32_t key_size, const void *value,
               uint32_t value_size) const;
    int remove(const char *object, const char *map, const void *key, uint32_t key_size) const;

private:
    // The map, or nullptr; @error says why.
    bpf_map *find(const char *object, const char *map, int &error) const;

    const Objects *objects_;
};

} // namespace vigil::plugins
