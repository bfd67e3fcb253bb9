// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/config/config_error.hpp"

using vigil::config::ConfigError;

TEST_SUITE("config")
{
    TEST_CASE("config error: every part present")
    {
        ConfigError error{"conf/vigil.toml", 12, 5, "sensor.drain_interval_ms", "expected an integer, got a string"};
        CHECK(error.to_string() == "conf/vigil.toml:12:5: sensor.drain_interval_ms: expected an integer, got a string");
    }

    TEST_CASE("config error: absent parts are left out")
    {
        CHECK(ConfigError{"a.toml", 0, 0, "", "cannot read"}.to_string() == "a.toml: cannot read");
        CHECK(ConfigError{"a.toml", 3, 0, "alerts", "bad"}.to_string() == "a.toml:3: alerts: bad");
        CHECK(ConfigError{"a.toml", 3, 7, "", "bad"}.to_string() == "a.toml:3:7: bad");
        CHECK(ConfigError{"", 0, 0, "sensor.x", "bad"}.to_string() == "sensor.x: bad");
        CHECK(ConfigError{"", 0, 0, "", "bad"}.to_string() == "bad");
    }
}
