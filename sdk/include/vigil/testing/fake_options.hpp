// SPDX-License-Identifier: Apache-2.0
// A plugin's options as the sensor hands them to init: every declared key has
// a value (its default, parsed from the descriptor's TOML literal, unless the
// test set another), read through a vigil_config_view that answers like the
// sensor's (-ENOENT for an undeclared key, -EINVAL for another type).
#pragma once

#include <cerrno>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <vigil/plugin_abi.h>
#include <vigil/testing/option_literals.hpp>

namespace vigil::testing {

class FakeOptions {
public:
    // The declared keys, each at its default; a default that does not parse
    // is a plugin bug, and std::invalid_argument says which.
    explicit FakeOptions(const std::vector<const vigil_config_key *> &keys)
    {
        for (const auto *key : keys) {
            auto type = static_cast<vigil_config_type>(key->type);
            values_[key->name] = parse_toml_literal(key->default_value, type);
            types_[key->name] = type;
        }
        view_.struct_size = sizeof(view_);
        view_.context = this;
        view_.get_bool = [](const void *context, const char *key, int *value) {
            return read<bool>(context, key, [&](bool flag) { *value = flag ? 1 : 0; });
        };
        view_.get_integer = [](const void *context, const char *key, int64_t *value) {
            return read<int64_t>(context, key, [&](int64_t number) { *value = number; });
        };
        view_.get_float = [](const void *context, const char *key, double *value) {
            return read<double>(context, key, [&](double number) { *value = number; });
        };
        view_.get_string = [](const void *context, const char *key) -> const char * {
            const auto *text = find<std::string>(context, key);
            return text != nullptr ? text->c_str() : nullptr;
        };
        view_.get_list_size = [](const void *context, const char *key) -> uint32_t {
            const auto *items = find<std::vector<std::string>>(context, key);
            return items != nullptr ? static_cast<uint32_t>(items->size()) : 0;
        };
        view_.get_list_item = [](const void *context, const char *key, uint32_t index) -> const char * {
            const auto *items = find<std::vector<std::string>>(context, key);
            return items != nullptr && index < items->size() ? (*items)[index].c_str() : nullptr;
        };
    }

    // view() points at this object.
    FakeOptions(const FakeOptions &) = delete;
    FakeOptions &operator=(const FakeOptions &) = delete;

    // Overrides a declared option; the value must have the option's type.
    void set(const std::string &key, OptionValue value)
    {
        if (!fits(type_of(key), value)) {
            throw std::invalid_argument("option " + key + " has another type");
        }
        values_[key] = std::move(value);
    }
    // Overrides a declared option with a TOML literal, as a configuration file would.
    void set_literal(const std::string &key, std::string_view literal)
    {
        values_[key] = parse_toml_literal(literal, type_of(key));
    }
    const OptionValue &get(const std::string &key) const { return values_.at(key); }

    const vigil_config_view *view() const { return &view_; }

private:
    vigil_config_type type_of(const std::string &key) const
    {
        auto type = types_.find(key);
        if (type == types_.end()) {
            throw std::invalid_argument("the plugin declares no option " + key);
        }
        return type->second;
    }

    static bool fits(vigil_config_type type, const OptionValue &value)
    {
        switch (type) {
        case VIGIL_CONFIG_BOOL:
            return std::holds_alternative<bool>(value);
        case VIGIL_CONFIG_INTEGER:
            return std::holds_alternative<int64_t>(value);
        case VIGIL_CONFIG_FLOAT:
            return std::holds_alternative<double>(value);
        case VIGIL_CONFIG_STRING:
            return std::holds_alternative<std::string>(value);
        case VIGIL_CONFIG_STRING_LIST:
            return std::holds_alternative<std::vector<std::string>>(value);
        }
        return false;
    }

    // The value of @key if it is declared and of type T, else nullptr.
    template <class T> static const T *find(const void *context, const char *key)
    {
        if (key == nullptr) {
            return nullptr;
        }
        const auto &values = static_cast<const FakeOptions *>(context)->values_;
        auto found = values.find(key);
        return found != values.end() ? std::get_if<T>(&found->second) : nullptr;
    }

    // The scalar getters' answers: -ENOENT for an undeclared key, -EINVAL for another type.
    template <class T, class Store> static int read(const void *context, const char *key, Store store)
    {
        const auto &values = static_cast<const FakeOptions *>(context)->values_;
        auto found = key != nullptr ? values.find(key) : values.end();
        if (found == values.end()) {
            return -ENOENT;
        }
        const auto *value = std::get_if<T>(&found->second);
        if (value == nullptr) {
            return -EINVAL;
        }
        store(*value);
        return 0;
    }

    std::map<std::string, OptionValue> values_;
    std::map<std::string, vigil_config_type> types_;
    vigil_config_view view_{};
};

} // namespace vigil::testing
