// SPDX-License-Identifier: Apache-2.0
// A plugin's own options: its [plugins.<name>] or [outputs.<name>] table checked
// against the keys the plugin declares in its descriptor, completed with the
// declared defaults, and readable by the plugin through a vigil_config_view.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <vigil/plugin_abi.h>

#include "core/config/config.hpp"
#include "core/config/config_error.hpp"

namespace vigil::config {

struct OptionStore;

class PluginOptions {
public:
    // Checks every key of section.options except the reserved `enabled` (and
    // `plugin` for outputs): an unknown key or a wrong type is an error naming
    // "<table_prefix>.<name>.<key>". Absent keys take the declared default, a TOML
    // literal; a default that is not a valid literal of its declared type is an
    // error too, since the plugin cannot work as its author meant.
    // @table_prefix is "plugins" or "outputs"; @keys come from the plugin's
    // descriptor and are stepped through by their first element's struct_size.
    static std::expected<PluginOptions, ConfigErrors> validate(const PluginSection &section, const std::string &file,
                                                               std::string_view table_prefix,
                                                               std::span<const vigil_config_key> keys);

    PluginOptions(PluginOptions &&) noexcept;
    PluginOptions &operator=(PluginOptions &&) noexcept;
    ~PluginOptions();

    // Stays at the same address for this object's lifetime, moves included.
    const vigil_config_view *view() const;

    // For the core's own use; nullopt for an undeclared key or one of another type.
    std::optional<bool> get_bool(std::string_view key) const;
    std::optional<int64_t> get_integer(std::string_view key) const;
    std::optional<double> get_float(std::string_view key) const;
    std::optional<std::string_view> get_string(std::string_view key) const;
    std::optional<std::span<const std::string>> get_list(std::string_view key) const;

private:
    explicit PluginOptions(std::unique_ptr<OptionStore> store);

    // On the heap so that the view's context pointer survives moves.
    std::unique_ptr<OptionStore> store_;
};

} // namespace vigil::config
