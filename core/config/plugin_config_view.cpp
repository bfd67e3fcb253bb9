// SPDX-License-Identifier: Apache-2.0
#include "core/config/plugin_config_view.hpp"

#include <cerrno>
#include <string>
#include <vector>

namespace vigil::config {

namespace {

const OptionStore *store_of(const void *context)
{
    return static_cast<const OptionStore *>(context);
}

// 0 with *@found set, -ENOENT for a key the plugin never declared, -EINVAL for
// one of another type or a null argument, as plugin_abi.h promises.
template <class Wanted> int look_up(const void *context, const char *key, const void *output, const Wanted *&found)
{
    if (context == nullptr || key == nullptr || output == nullptr) {
        return -EINVAL;
    }
    const auto &store = *store_of(context);
    if (!has_option(store, key)) {
        return -ENOENT;
    }
    found = find_option<Wanted>(store, key);
    return found == nullptr ? -EINVAL : 0;
}

int get_bool(const void *context, const char *key, int *value)
{
    const bool *found = nullptr;
    int result = look_up(context, key, value, found);
    if (result == 0) {
        *value = *found ? 1 : 0;
    }
    return result;
}

int get_integer(const void *context, const char *key, int64_t *value)
{
    const int64_t *found = nullptr;
    int result = look_up(context, key, value, found);
    if (result == 0) {
        *value = *found;
    }
    return result;
}

int get_float(const void *context, const char *key, double *value)
{
    const double *found = nullptr;
    int result = look_up(context, key, value, found);
    if (result == 0) {
        *value = *found;
    }
    return result;
}

const std::vector<std::string> *find_list(const void *context, const char *key)
{
    if (context == nullptr || key == nullptr) {
        return nullptr;
    }
    return find_option<std::vector<std::string>>(*store_of(context), key);
}

const char *get_string(const void *context, const char *key)
{
    if (context == nullptr || key == nullptr) {
        return nullptr;
    }
    const auto *found = find_option<std::string>(*store_of(context), key);
    return found == nullptr ? nullptr : found->c_str();
}

uint32_t get_list_size(const void *context, const char *key)
{
    const auto *list = find_list(context, key);
    return list == nullptr ? 0 : static_cast<uint32_t>(list->size());
}

const char *get_list_item(const void *context, const char *key, uint32_t index)
{
    const auto *list = find_list(context, key);
    return list == nullptr || index >= list->size() ? nullptr : (*list)[index].c_str();
}

} // namespace

vigil_config_view make_config_view(const OptionStore &store)
{
    vigil_config_view view{};
    view.struct_size = sizeof(view);
    view.context = &store;
    view.get_bool = get_bool;
    view.get_integer = get_integer;
    view.get_float = get_float;
    view.get_string = get_string;
    view.get_list_size = get_list_size;
    view.get_list_item = get_list_item;
    return view;
}

} // namespace vigil::config
