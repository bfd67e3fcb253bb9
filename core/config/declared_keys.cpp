// SPDX-License-Identifier: Apache-2.0
#include "core/config/declared_keys.hpp"

#include <algorithm>

#include <vigil/abi_support.hpp>

namespace vigil::config {

std::expected<ConfigValue, std::string> parse_default_value(const char *literal, uint32_t type)
{
    if (literal == nullptr) {
        return std::unexpected("it has none");
    }
    toml::table parsed;
    try {
        parsed = toml::parse("value = " + std::string(literal), std::string_view{"default value"});
    } catch (const toml::parse_error &error) {
        return std::unexpected("'" + std::string(literal) + "' is not a TOML value (" +
                               std::string(error.description()) + ")");
    }
    // "1\nother = 2" parses too, but is not one value.
    const auto *value = parsed.get("value");
    if (value == nullptr || parsed.size() != 1) {
        return std::unexpected("'" + std::string(literal) + "' is not a single TOML value");
    }
    auto read = read_value(*value, type);
    if (!read) {
        return std::unexpected(std::move(read.error().message));
    }
    return std::move(*read);
}

DeclaredKeys read_declared_keys(std::span<const vigil_config_key> keys, std::string_view plugin,
                                std::string_view path_prefix, std::span<const std::string_view> reserved,
                                const SourceLocation &location, ErrorCollector &errors)
{
    DeclaredKeys declared;
    auto report = [&](std::string_view key, const std::string &message) {
        errors.add(location.line, location.column, std::string(path_prefix) + "." + std::string(key),
                   "plugin '" + std::string(plugin) + "' " + message);
        if (!key.empty()) {
            declared.rejected.emplace_back(key);
        }
    };
    for (std::size_t index = 0; index < keys.size(); ++index) {
        auto key = abi_copy(abi_array_at(keys.data(), static_cast<uint32_t>(index)));
        if (key.name == nullptr || *key.name == '\0') {
            report("", "declares option " + std::to_string(index + 1) + " without a name");
            continue;
        }
        std::string name = key.name;
        if (std::ranges::find(reserved, name) != reserved.end()) {
            report(name, "declares the reserved key '" + name + "', which the sensor itself reads");
            continue;
        }
        if (std::ranges::find(declared.usable, name, &DeclaredKey::name) != declared.usable.end()) {
            report(name, "declares '" + name + "' twice");
            continue;
        }
        if (!is_known_config_type(key.type)) {
            report(name, "declares '" + name + "' with an unknown type (" + std::to_string(key.type) + ")");
            continue;
        }
        auto default_value = parse_default_value(key.default_value, key.type);
        if (!default_value) {
            report(name, "declares a bad default for '" + name + "': " + default_value.error());
            continue;
        }
        declared.usable.push_back(DeclaredKey{std::move(name), key.type, std::move(*default_value)});
    }
    return declared;
}

} // namespace vigil::config
