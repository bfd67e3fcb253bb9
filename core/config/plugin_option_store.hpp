// SPDX-License-Identifier: Apache-2.0
// The checked values of one plugin's options, where the vigil_config_view
// handed to the plugin reads them. Internal to PluginOptions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

#include "core/config/config_value.hpp"

namespace vigil::config {

struct OptionStore {
    // Every declared key has a value: the operator's, or the plugin's default.
    // Each value holds its declared type's alternative (a FLOAT is always a double).
    std::map<std::string, ConfigValue, std::less<>> values;
    vigil_config_view view{}; // its context points at this store
};

// The value of @key if it holds a @Wanted, else nullptr.
template <class Wanted> const Wanted *find_option(const OptionStore &store, std::string_view key)
{
    auto found = store.values.find(key);
    return found == store.values.end() ? nullptr : std::get_if<Wanted>(&found->second);
}

inline bool has_option(const OptionStore &store, std::string_view key)
{
    return store.values.contains(key);
}

} // namespace vigil::config
