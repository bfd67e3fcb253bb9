// SPDX-License-Identifier: Apache-2.0
// What the configuration file may contain: its top-level tables and the keys
// of the core's own sections. Adding a key is one line in config_schema.cpp;
// adding a table is a struct in config.hpp, a schema and one line there.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/config/config.hpp"
#include "core/config/error_collector.hpp"
#include "core/config/setting.hpp"
#include "core/config/setting_description.hpp"

namespace vigil::config {

struct TopLevelTable {
    std::string_view name;
    void (*read)(const toml::node &value, Config &config, ErrorCollector &errors);
    // Appends the documentation of its keys; nullptr for tables whose keys the plugins define.
    void (*describe)(std::vector<SettingDescription> &descriptions);
};

std::span<const TopLevelTable> top_level_tables();

const SectionSchema<SensorConfig> &sensor_schema();
const SectionSchema<AlertsConfig> &alerts_schema();
const SectionSchema<KubernetesConfig> &kubernetes_schema();
const SectionSchema<AuditConfig> &audit_schema();

// Every key of the core's own sections, in the order of the schema.
std::vector<SettingDescription> describe_core_settings();

} // namespace vigil::config
