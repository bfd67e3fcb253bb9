// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"
#include "core/config/plugin_name.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config::testing::fixture;
using vigil::config::testing::joined;

TEST_SUITE("config")
{
    TEST_CASE("plugin sections: names, table values, enabled and plugin are checked")
    {
        auto file = fixture("bad_plugin_tables.toml");
        auto config = load_config(file);
        REQUIRE_FALSE(config.has_value());
        const std::string name_rule = "use only lowercase letters, digits and '_'";
        CHECK(joined(config.error()) ==
              file + ":2:7: plugins.bad: expected a table, got an integer\n" + file +
                  ":4:10: plugins.Injection: 'Injection' is not a plugin name: " + name_rule + "\n" + file +
                  ":8:11: plugins.exec.enabled: expected a boolean, got a string\n" + file +
                  ":11:10: outputs.webhook.plugin: expected a string, got an integer\n" + file +
                  ":14:10: outputs.second.plugin: 'Http-Post' is not a plugin name: " + name_rule + "\n" + file +
                  ":15:11: outputs.second.enabled: expected a boolean, got an integer\n");
    }

    TEST_CASE("plugin sections: kept in file order, with their plugin, enabled flag and location")
    {
        auto file = fixture("good_full.toml");
        auto config = load_config(file);
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));

        REQUIRE(config->detectors.size() == 2);
        const auto &zeta = config->detectors[0];
        CHECK(zeta.name == "zeta");
        CHECK(zeta.plugin == "zeta");
        CHECK_FALSE(zeta.enabled);
        CHECK(zeta.location.file == file);
        CHECK(zeta.location.line == 21);
        CHECK(zeta.location.column == 1);
        REQUIRE(zeta.options != nullptr);
        CHECK(zeta.options->get("threshold")->value<int64_t>() == 5);
        CHECK(config->detectors[1].name == "alpha");
        CHECK(config->detectors[1].enabled);
        CHECK(config->detectors[1].location.line == 25);

        REQUIRE(config->outputs.size() == 2);
        CHECK(config->outputs[0].name == "webhook_a");
        CHECK(config->outputs[0].plugin == "webhook");
        CHECK(config->outputs[1].name == "stdout");
        CHECK(config->outputs[1].plugin == "stdout");
    }

    TEST_CASE("plugin sections: the tables of plugins and outputs must be tables")
    {
        auto config = parse_config("plugins = 1\noutputs = \"stdout\"\n", "test.toml");
        REQUIRE_FALSE(config.has_value());
        CHECK(joined(config.error()) == "test.toml:1:11: plugins: expected a table, got an integer\n"
                                        "test.toml:2:11: outputs: expected a table, got a string\n");
    }

    TEST_CASE("plugin sections: dotted keys and inline tables declare sections too")
    {
        auto config =
            parse_config("plugins.exec.enabled = false\noutputs = { out = { plugin = \"stdout\" } }\n", "test.toml");
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        REQUIRE(config->detectors.size() == 1);
        CHECK(config->detectors[0].name == "exec");
        CHECK_FALSE(config->detectors[0].enabled);
        REQUIRE(config->outputs.size() == 1);
        CHECK(config->outputs[0].plugin == "stdout");
    }

    TEST_CASE("plugin sections: a detector's `plugin` key is left to its options")
    {
        // Only outputs can borrow another plugin; for a detector the key is an
        // ordinary option, rejected later unless the plugin declares it.
        auto config = parse_config("[plugins.exec]\nplugin = \"other\"\n", "test.toml");
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        CHECK(config->detectors[0].plugin == "exec");
    }

    TEST_CASE("plugin names: lowercase letters, digits and underscores only")
    {
        CHECK(is_valid_plugin_name("injection"));
        CHECK(is_valid_plugin_name("out_2"));
        CHECK_FALSE(is_valid_plugin_name(""));
        CHECK_FALSE(is_valid_plugin_name("Injection"));
        CHECK_FALSE(is_valid_plugin_name("http-post"));
        CHECK_FALSE(is_valid_plugin_name("a.b"));
    }
}
