// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config::testing::fixture;
using vigil::config::testing::joined;

namespace {

std::string errors_of_file(const std::string &name)
{
    auto config = load_config(fixture(name));
    return config.has_value() ? "no error" : joined(config.error());
}

std::string errors_of_text(std::string_view text)
{
    auto config = parse_config(text, "test.toml");
    return config.has_value() ? "no error" : joined(config.error());
}

} // namespace

TEST_SUITE("config")
{
    TEST_CASE("config validation: unknown keys, with a suggestion when one is close")
    {
        auto file = fixture("unknown_key.toml");
        CHECK(errors_of_file("unknown_key.toml") ==
              file + ":3:1: sensor.drian_interval_ms: unknown key; did you mean 'drain_interval_ms'?\n" + file +
                  ":4:1: sensor.log_levle: unknown key; did you mean 'log_level'?\n" + file +
                  ":7:1: alerts.dedup_windows: unknown key; did you mean 'dedup_window_s'?\n" + file +
                  ":8:1: alerts.completely_different: unknown key\n");
    }

    TEST_CASE("config validation: wrong types")
    {
        auto file = fixture("wrong_type.toml");
        CHECK(errors_of_file("wrong_type.toml") ==
              file + ":2:21: sensor.drain_interval_ms: expected an integer, got a string\n" + file +
                  ":3:17: sensor.mount_tracefs: expected a boolean, got a string\n" + file +
                  ":4:13: sensor.log_level: expected a string, got an integer\n" + file +
                  ":5:25: sensor.disabled_attach_types: expected an array of strings, got a string\n" + file +
                  ":6:22: sensor.process_table_size: expected an integer, got a float\n" + file +
                  ":9:18: alerts.dedup_window_s: expected an integer, got a boolean\n");
    }

    TEST_CASE("config validation: values out of range or not among the choices")
    {
        auto file = fixture("out_of_range.toml");
        const std::string attach_types = "one of tp, tp_btf, raw_tp, fentry, fexit, lsm, kprobe, cgroup, iter";
        CHECK(errors_of_file("out_of_range.toml") ==
              file + ":2:21: sensor.drain_interval_ms: must be between 1 and 1000, got 0\n" + file +
                  ":3:22: sensor.process_table_size: must be between 1024 and 4194304, got 5000000\n" + file +
                  ":4:19: sensor.ring_buffer_kib: must be 0 or a power of two between 64 and 262144, got 100\n" + file +
                  ":5:24: sensor.container_cache_size: must be between 64 and 1048576, got -1\n" + file +
                  ":6:20: sensor.stats_interval_s: must be between 0 and 86400, got 86401\n" + file +
                  ":7:13: sensor.log_level: expected one of trace, debug, info, warning, error; got 'verbose'\n" +
                  file + ":8:36: sensor.disabled_attach_types: item 2: expected " + attach_types +
                  "; got 'kprobes'; did you mean 'kprobe'?\n" + file +
                  ":8:47: sensor.disabled_attach_types: item 3: expected " + attach_types +
                  "; got 'uprobe'; did you mean 'kprobe'?\n" +
                  // 2^32 would be 0 after a silent truncation to uint32_t.
                  file + ":11:18: alerts.dedup_max_keys: must be between 16 and 10000000, got 4294967296\n" + file +
                  ":12:21: alerts.output_queue_size: must be between 16 and 10000000, got 15\n");
    }

    TEST_CASE("config validation: the bounds themselves are accepted")
    {
        CHECK(errors_of_text("[sensor]\ndrain_interval_ms = 1\nprocess_table_size = 4194304\n") == "no error");
        CHECK(errors_of_text("[sensor]\nring_buffer_kib = 64\n") == "no error");
        CHECK(errors_of_text("[sensor]\nring_buffer_kib = 128\n") == "no error");
        CHECK(errors_of_text("[sensor]\nring_buffer_kib = 32\n") ==
              "test.toml:2:19: sensor.ring_buffer_kib: must be 0 or a power of two between 64 and 262144, got 32\n");
        CHECK(
            errors_of_text("[sensor]\nring_buffer_kib = 524288\n") ==
            "test.toml:2:19: sensor.ring_buffer_kib: must be 0 or a power of two between 64 and 262144, got 524288\n");
        CHECK(errors_of_text("[alerts]\ndedup_window_s = 86400\ndedup_max_keys = 16\n") == "no error");
        CHECK(errors_of_text("[alerts]\ndedup_window_s = 86401\n") ==
              "test.toml:2:18: alerts.dedup_window_s: must be between 0 and 86400, got 86401\n");
    }

    TEST_CASE("config validation: every error is collected, in file order")
    {
        auto file = fixture("multiple_errors.toml");
        CHECK(errors_of_file("multiple_errors.toml") ==
              file + ":3:20: sensor.stats_interval_s: must be between 0 and 86400, got -5\n" + file +
                  ":4:13: sensor.node_name: expected a string, got an integer\n" + file +
                  ":6:2: sensro: unknown table; did you mean 'sensor'?\n" + file +
                  ":10:18: alerts.dedup_window_s: expected an integer, got a string\n" + file +
                  ":15:2: aaa: unknown table; the known ones are sensor, alerts, kubernetes, audit, plugins, "
                  "outputs\n");
    }

    TEST_CASE("config validation: a key above every table is pointed to its table")
    {
        CHECK(errors_of_text("log_level = \"debug\"\n[sensor]\n") ==
              "test.toml:1:1: log_level: unknown key; did you mean 'sensor.log_level', in the [sensor] table?\n");
        CHECK(errors_of_text("verbose = true\n") ==
              "test.toml:1:1: verbose: unknown key; the top level holds only the tables sensor, alerts, kubernetes, "
              "audit, plugins, outputs\n");
    }

    TEST_CASE("config validation: core sections must be tables, and hold no sub-tables")
    {
        CHECK(errors_of_text("sensor = 5\nalerts = [1]\n") ==
              "test.toml:1:10: sensor: expected a table, got an integer\n"
              "test.toml:2:10: alerts: expected a table, got an array\n");
        CHECK(errors_of_text("[sensor.extra]\nx = 1\n") == "test.toml:1:9: sensor.extra: unknown key\n");
    }

    TEST_CASE("config validation: list items must be strings, and strings hold no NUL")
    {
        CHECK(errors_of_text("[sensor]\ndisabled_attach_types = [\"lsm\", 3]\n") ==
              "test.toml:2:33: sensor.disabled_attach_types: item 2: expected a string, got an integer\n");
        CHECK(errors_of_text("[sensor]\nnode_name = \"a\\u0000b\"\n") ==
              "test.toml:2:13: sensor.node_name: a string must not contain a NUL character\n");
    }

    TEST_CASE("config validation: dotted keys and inline tables work like sections")
    {
        auto config = parse_config("sensor.log_level = \"error\"\nalerts = { dedup_window_s = 5 }\n", "test.toml");
        REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
        CHECK(config->sensor.log_level == "error");
        CHECK(config->alerts.dedup_window_s == 5);
    }
}
