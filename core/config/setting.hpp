// SPDX-License-Identifier: Apache-2.0
// The declarative description of one key of a core section such as [sensor]:
// its name, the field it fills, what values it accepts and one line of
// documentation. Reading, validation and the printed documentation all come
// from the same entry, so a new key is one line in config_schema.cpp.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vigil::config {

// The accepted integers. The bounds have the field's own type, so a value that
// passed the check always fits the field.
struct IntegerRule {
    uint32_t minimum = 0;
    uint32_t maximum = std::numeric_limits<uint32_t>::max();
    bool zero_allowed = false; // 0 is accepted besides [minimum, maximum], as "off" or "automatic"
    bool power_of_two = false;
};

// The default of a setting is the field's initializer in its section struct.
template <class Section>
using SettingField =
    std::variant<bool Section::*, uint32_t Section::*, std::string Section::*, std::vector<std::string> Section::*>;

template <class Section> struct Setting {
    std::string_view name;
    SettingField<Section> field;
    std::string_view doc;
    IntegerRule integer_rule{};
    // A string, or each item of a list, must be one of these; empty accepts anything.
    std::span<const std::string_view> choices{};
};

// "between 1 and 1000", "0 or a power of two between 64 and 262144": shared by
// the error messages and the documentation so that they never disagree.
std::string describe_integer_rule(const IntegerRule &rule);
bool integer_rule_accepts(const IntegerRule &rule, int64_t value);

// "one of trace, debug, info"
std::string describe_choices(std::span<const std::string_view> choices);

template <class Section> struct SectionSchema {
    std::string_view name; // the TOML table, e.g. "sensor"
    std::span<const Setting<Section>> settings;
};

} // namespace vigil::config
