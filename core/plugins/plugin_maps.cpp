// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_maps.hpp"

#include <bpf/libbpf.h>

#include <cerrno>
#include <string_view>

namespace vigil::plugins {

bpf_map *PluginMaps::find(const char *object, const char *map, int &error) const
{
    error = -ENOENT;
    if (objects_ == nullptr || object == nullptr || map == nullptr) {
        return nullptr;
    }
    for (const auto &loaded : *objects_) {
        if (loaded && loaded->name() == std::string_view(object) && loaded->object() != nullptr) {
            return bpf_object__find_map_by_name(loaded->object(), map);
        }
    }
    return nullptr;
}

int PluginMaps::update(const char *object, const char *map, const void *key, uint32_t key_size, const void *value,
                       uint32_t value_size) const
{
    int error = 0;
    auto *found = find(object, map, error);
    if (found == nullptr) {
        return error;
    }
    if (key == nullptr || value == nullptr || key_size != bpf_map__key_size(found) ||
        value_size != bpf_map__value_size(found)) {
        return -EINVAL;
    }
    return bpf_map__update_elem(found, key, key_size, value, value_size, BPF_ANY);
}

int PluginMaps::remove(const char *object, const char *map, const void *key, uint32_t key_size) const
{
    int error = 0;
    auto *found = find(object, map, error);
    if (found == nullptr) {
        return error;
    }
    if (key == nullptr || key_size != bpf_map__key_size(found)) {
        return -EINVAL;
    }
    int status = bpf_map__delete_elem(found, key, key_size, 0);
    return status == -ENOENT ? 0 : status;
}

} // namespace vigil::plugins
