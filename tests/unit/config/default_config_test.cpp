// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"
#include "core/config/config_schema.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config::testing::joined;

namespace {

const std::string default_config_path = std::string(VIGIL_TEST_FIXTURES) + "/../../conf/vigil.toml";

} // namespace

TEST_SUITE("config")
{
    TEST_CASE("default config: conf/vigil.toml is valid and states the defaults")
    {
        auto config = load_config(default_config_path);
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        CHECK(config->sensor == SensorConfig{});
        CHECK(config->alerts == AlertsConfig{});
        CHECK(config->kubernetes == KubernetesConfig{});
        CHECK(config->audit == AuditConfig{});

        // Every detector shipped, each enabled, in the order the file lists them.
        std::vector<std::string> names;
        for (const auto &detector : config->detectors) {
            names.push_back(detector.name);
            CHECK(detector.enabled);
        }
        CHECK(names ==
              std::vector<std::string>{"cryptomining", "drift", "escape", "injection", "lateral_movement", "sa_abuse"});
        // Alerts reach stdout on a fresh machine; every other output is documented but off,
        // since its receiver is not there.
        REQUIRE(config->outputs.size() >= 2);
        CHECK(config->outputs[0].name == "stdout");
        CHECK(config->outputs[0].enabled);
        for (std::size_t index = 1; index < config->outputs.size(); ++index) {
            CAPTURE(config->outputs[index].name);
            CHECK_FALSE(config->outputs[index].enabled);
        }
    }

    TEST_CASE("default config: conf/vigil.toml shows every core key with its default")
    {
        auto config = load_config(default_config_path);
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        for (const auto &description : describe_core_settings()) {
            CAPTURE(description.key);
            auto node = config->document->at_path(description.key);
            REQUIRE(node);
            // Reparse the documented default to compare values, not spellings.
            auto expected = toml::parse("value = " + description.default_value, std::string_view{"default"});
            toml::table actual;
            actual.insert("value", *node.node());
            CHECK(actual == expected);
        }
    }
}
