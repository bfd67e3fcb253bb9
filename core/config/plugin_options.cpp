// SPDX-License-Identifier: Apache-2.0
#include "core/config/plugin_options.hpp"

#include <algorithm>
#include <vector>

#include "core/config/closest_name.hpp"
#include "core/config/declared_keys.hpp"
#include "core/config/error_collector.hpp"
#include "core/config/plugin_config_view.hpp"
#include "core/config/plugin_option_store.hpp"

namespace vigil::config {

namespace {

constexpr std::string_view detector_reserved_keys[] = {"enabled"};
constexpr std::string_view output_reserved_keys[] = {"enabled", "plugin", "route"};

std::string unknown_key_message(std::string_view key, std::string_view plugin, const std::vector<DeclaredKey> &declared)
{
    std::string message = "unknown key for plugin '" + std::string(plugin) + "'";
    if (declared.empty()) {
        return message + ", which takes no options";
    }
    std::vector<std::string_view> names;
    for (const auto &declaration : declared) {
        names.push_back(declaration.name);
    }
    return message + did_you_mean(key, names);
}

} // namespace

std::expected<PluginOptions, ConfigErrors> PluginOptions::validate(const PluginSection &section,
                                                                   const std::string &file,
                                                                   std::string_view table_prefix,
                                                                   std::span<const vigil_config_key> keys)
{
    const auto reserved = table_prefix == "outputs" ? std::span<const std::string_view>(output_reserved_keys)
                                                    : std::span<const std::string_view>(detector_reserved_keys);
    const std::string path_prefix = std::string(table_prefix) + "." + section.name;
    const std::string_view plugin = section.plugin.empty() ? section.name : section.plugin;

    ErrorCollector errors(file);
    auto declared = read_declared_keys(keys, plugin, path_prefix, reserved, section.location, errors);

    auto store = std::make_unique<OptionStore>();
    if (section.options != nullptr) {
        for (auto &&[key, value] : *section.options) {
            if (std::ranges::find(reserved, key.str()) != reserved.end()) {
                continue;
            }
            auto path = path_prefix + "." + std::string(key.str());
            auto declaration = std::ranges::find(declared.usable, key.str(), &DeclaredKey::name);
            if (declaration == declared.usable.end()) {
                if (std::ranges::find(declared.rejected, key.str()) == declared.rejected.end()) {
                    errors.add(key.source(), path, unknown_key_message(key.str(), plugin, declared.usable));
                }
                continue;
            }
            auto read = read_value(value, declaration->type);
            if (!read) {
                errors.add(read.error().where, path, std::move(read.error().message));
                continue;
            }
            store->values.emplace(declaration->name, std::move(*read));
        }
    }
    if (!errors.empty()) {
        return std::unexpected(errors.take_in_file_order());
    }
    for (auto &declaration : declared.usable) {
        // emplace keeps the operator's value when there is one.
        store->values.emplace(std::move(declaration.name), std::move(declaration.default_value));
    }
    store->view = make_config_view(*store);
    return PluginOptions(std::move(store));
}

PluginOptions::PluginOptions(std::unique_ptr<OptionStore> store) : store_(std::move(store)) {}
PluginOptions::PluginOptions(PluginOptions &&) noexcept = default;
PluginOptions &PluginOptions::operator=(PluginOptions &&) noexcept = default;
PluginOptions::~PluginOptions() = default;

const vigil_config_view *PluginOptions::view() const
{
    return store_ == nullptr ? nullptr : &store_->view;
}

std::optional<bool> PluginOptions::get_bool(std::string_view key) const
{
    const auto *found = store_ == nullptr ? nullptr : find_option<bool>(*store_, key);
    return found == nullptr ? std::nullopt : std::optional(*found);
}

std::optional<int64_t> PluginOptions::get_integer(std::string_view key) const
{
    const auto *found = store_ == nullptr ? nullptr : find_option<int64_t>(*store_, key);
    return found == nullptr ? std::nullopt : std::optional(*found);
}

std::optional<double> PluginOptions::get_float(std::string_view key) const
{
    const auto *found = store_ == nullptr ? nullptr : find_option<double>(*store_, key);
    return found == nullptr ? std::nullopt : std::optional(*found);
}

std::optional<std::string_view> PluginOptions::get_string(std::string_view key) const
{
    const auto *found = store_ == nullptr ? nullptr : find_option<std::string>(*store_, key);
    return found == nullptr ? std::nullopt : std::optional<std::string_view>(*found);
}

std::optional<std::span<const std::string>> PluginOptions::get_list(std::string_view key) const
{
    const auto *found = store_ == nullptr ? nullptr : find_option<std::vector<std::string>>(*store_, key);
    return found == nullptr ? std::nullopt : std::optional<std::span<const std::string>>(*found);
}

} // namespace vigil::config
