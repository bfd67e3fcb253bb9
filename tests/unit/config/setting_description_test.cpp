// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>

#include "core/config/config_schema.hpp"
#include "core/config/setting_description.hpp"

using namespace vigil::config;

namespace {

SettingDescription description_of(std::string_view key)
{
    auto descriptions = describe_core_settings();
    auto found = std::ranges::find(descriptions, key, &SettingDescription::key);
    REQUIRE(found != descriptions.end());
    return *found;
}

} // namespace

TEST_SUITE("config")
{
    TEST_CASE("config documentation: generated from the schema")
    {
        auto ring = description_of("sensor.ring_buffer_kib");
        CHECK(ring.type == "integer");
        CHECK(ring.default_value == "0");
        CHECK(ring.allowed == "0 or a power of two between 64 and 262144");
        CHECK_FALSE(ring.doc.empty());

        auto level = description_of("sensor.log_level");
        CHECK(level.type == "string");
        CHECK(level.default_value == "\"info\"");
        CHECK(level.allowed == "one of trace, debug, info, warning, error");

        auto attach = description_of("sensor.disabled_attach_types");
        CHECK(attach.type == "array of strings");
        CHECK(attach.default_value == "[]");
        CHECK(attach.allowed.starts_with("each one of tp, tp_btf"));

        auto tracefs = description_of("sensor.mount_tracefs");
        CHECK(tracefs.type == "boolean");
        CHECK(tracefs.default_value == "true");
        CHECK(tracefs.allowed.empty());

        CHECK(description_of("alerts.dedup_max_keys").allowed == "between 16 and 10000000");
    }

    TEST_CASE("config documentation: every key is documented, once")
    {
        auto descriptions = describe_core_settings();
        CHECK(descriptions.size() == sensor_schema().settings.size() + alerts_schema().settings.size() +
                                         kubernetes_schema().settings.size() + audit_schema().settings.size());
        for (const auto &description : descriptions) {
            CAPTURE(description.key);
            CHECK_FALSE(description.doc.empty());
            CHECK(std::ranges::count(descriptions, description.key, &SettingDescription::key) == 1);
        }
    }
}
