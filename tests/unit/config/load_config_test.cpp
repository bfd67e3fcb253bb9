// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config::testing::fixture;
using vigil::config::testing::joined;

TEST_SUITE("config")
{
    TEST_CASE("load config: a missing file is an error without a line, with the system's reason")
    {
        auto path = fixture("does_not_exist.toml");
        auto config = load_config(path);
        REQUIRE_FALSE(config.has_value());
        REQUIRE(config.error().size() == 1);
        CHECK(config.error()[0].line == 0);
        CHECK(joined(config.error()) == path + ": cannot read the configuration file: No such file or directory\n");
    }

    TEST_CASE("load config: a directory is not a configuration file")
    {
        auto path = std::string(VIGIL_TEST_FIXTURES) + "/config";
        auto config = load_config(path);
        REQUIRE_FALSE(config.has_value());
        CHECK(joined(config.error()) == path + ": cannot read the configuration file: Is a directory\n");
    }

    TEST_CASE("load config: a syntax error names its line and column")
    {
        auto path = fixture("syntax_error.toml");
        auto config = load_config(path);
        REQUIRE_FALSE(config.has_value());
        REQUIRE(config.error().size() == 1);
        const auto &error = config.error()[0];
        CHECK(error.file == path);
        CHECK(error.line == 4);
        CHECK(error.column == 20);
        CHECK(error.key.empty());
        CHECK(error.to_string().starts_with(path + ":4:20: "));
        CHECK(error.message.find("expected value") != std::string::npos);
    }

    TEST_CASE("load config: every core key is read")
    {
        auto config = load_config(fixture("good_full.toml"));
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        CHECK(config->path == fixture("good_full.toml"));
        const auto &sensor = config->sensor;
        CHECK(sensor.plugin_dir == "/opt/vigil/plugins");
        CHECK(sensor.log_level == "debug");
        CHECK(sensor.node_name == "node-7");
        CHECK(sensor.process_table_size == 1024);
        CHECK(sensor.container_cache_size == 1048576);
        CHECK(sensor.drain_interval_ms == 1000);
        CHECK(sensor.ring_buffer_kib == 262144);
        CHECK(sensor.disabled_attach_types == std::vector<std::string>{"kprobe", "lsm"});
        CHECK_FALSE(sensor.mount_tracefs);
        CHECK(sensor.host_proc == "/host/proc");
        CHECK(sensor.stats_interval_s == 0);
        CHECK(config->alerts.dedup_window_s == 0);
        CHECK(config->alerts.dedup_max_keys == 10000000);
        CHECK(config->alerts.output_queue_size == 16);
    }

    TEST_CASE("parse config: an empty file means every default")
    {
        auto config = parse_config("", "empty.toml");
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        CHECK(config->sensor == SensorConfig{});
        CHECK(config->alerts == AlertsConfig{});
        CHECK(config->detectors.empty());
        CHECK(config->outputs.empty());
        REQUIRE(config->document != nullptr);
    }

    TEST_CASE("parse config: a copied config keeps its plugin tables alive")
    {
        std::optional<Config> copy;
        {
            auto config = parse_config("[plugins.one]\nlimit = 3\n", "test.toml");
            REQUIRE(config.has_value());
            copy = *config;
        }
        REQUIRE(copy->detectors.size() == 1);
        CHECK(copy->detectors[0].options->get("limit")->value<int64_t>() == 3);
    }
}
