// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include <vigil/plugin.hpp>

#include "core/config/config.hpp"
#include "core/config/plugin_options.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config_key;
using vigil::config::testing::fixture;
using vigil::config::testing::joined;

namespace {

const vigil_config_key tracer_keys[] = {
    config_key("allowed_tracers", VIGIL_CONFIG_STRING_LIST, "[\"gdb\"]", "Tracers that may attach."),
    config_key("window_s", VIGIL_CONFIG_INTEGER, "60", "Seconds of memory."),
    config_key("ratio", VIGIL_CONFIG_FLOAT, "0.5", "A fraction."),
    config_key("verbose", VIGIL_CONFIG_BOOL, "false", "Say more."),
    config_key("label", VIGIL_CONFIG_STRING, "\"none\"", "A name."),
};

const vigil_config_key webhook_keys[] = {
    config_key("url", VIGIL_CONFIG_STRING, "\"\"", "Where to send."),
    config_key("timeout_s", VIGIL_CONFIG_FLOAT, "5", "Seconds to wait."),
};

Config load_fixture()
{
    auto config = load_config(fixture("plugin_options.toml"));
    REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
    return std::move(*config);
}

const PluginSection &section_named(const std::vector<PluginSection> &sections, std::string_view name)
{
    auto found = std::ranges::find(sections, name, &PluginSection::name);
    REQUIRE(found != sections.end());
    return *found;
}

std::string errors_of(const std::expected<PluginOptions, ConfigErrors> &options)
{
    return options.has_value() ? "no error" : joined(options.error());
}

} // namespace

TEST_SUITE("config")
{
    TEST_CASE("plugin options: the operator's values, and defaults for the rest")
    {
        auto config = load_fixture();
        auto options =
            PluginOptions::validate(section_named(config.detectors, "injection"), config.path, "plugins", tracer_keys);
        REQUIRE_MESSAGE(options.has_value(), errors_of(options));
        auto tracers = options->get_list("allowed_tracers");
        REQUIRE(tracers.has_value());
        CHECK(std::vector<std::string>(tracers->begin(), tracers->end()) == std::vector<std::string>{"gdb", "strace"});
        CHECK(options->get_integer("window_s") == 30);
        CHECK(options->get_float("ratio") == doctest::Approx(0.5));
        CHECK(options->get_bool("verbose") == false);
        CHECK(options->get_string("label") == "none");
    }

    TEST_CASE("plugin options: unknown keys and wrong types, all of them, in file order")
    {
        auto config = load_fixture();
        const auto &section = section_named(config.detectors, "typos");
        auto options = PluginOptions::validate(section, config.path, "plugins", tracer_keys);
        const auto &file = config.path;
        CHECK(errors_of(options) ==
              file +
                  ":7:1: plugins.typos.alowed_tracers: unknown key for plugin 'typos'; did you mean "
                  "'allowed_tracers'?\n" +
                  file + ":8:12: plugins.typos.window_s: expected an integer, got a string\n" + file +
                  ":9:9: plugins.typos.ratio: expected a float, got a string\n" + file +
                  ":10:27: plugins.typos.allowed_tracers: item 2: expected a string, got an integer\n" + file +
                  ":11:1: plugins.typos.extra: unknown key for plugin 'typos'\n");
    }

    TEST_CASE("plugin options: an output's `plugin` and `enabled` are not options; a float takes an integer")
    {
        auto config = load_fixture();
        const auto &section = section_named(config.outputs, "webhook");
        CHECK(section.plugin == "http");
        auto options = PluginOptions::validate(section, config.path, "outputs", webhook_keys);
        REQUIRE_MESSAGE(options.has_value(), errors_of(options));
        CHECK(options->get_string("url") == "https://example.invalid/hook");
        CHECK(options->get_float("timeout_s") == doctest::Approx(2.0));
    }

    TEST_CASE("plugin options: a detector may not use `plugin`")
    {
        auto config = parse_config("[plugins.exec]\nplugin = \"other\"\n", "test.toml");
        REQUIRE(config.has_value());
        auto options = PluginOptions::validate(config->detectors[0], config->path, "plugins", {});
        CHECK(errors_of(options) == "test.toml:2:1: plugins.exec.plugin: unknown key for plugin 'exec', which takes "
                                    "no options\n");
    }

    TEST_CASE("plugin options: an output table names the plugin that rejects a key")
    {
        auto config = parse_config("[outputs.alerts_a]\nplugin = \"http\"\nurll = \"x\"\n", "test.toml");
        REQUIRE(config.has_value());
        auto options = PluginOptions::validate(config->outputs[0], config->path, "outputs", webhook_keys);
        CHECK(errors_of(options) ==
              "test.toml:3:1: outputs.alerts_a.urll: unknown key for plugin 'http'; did you mean 'url'?\n");
    }

    TEST_CASE("plugin options: a section without a table takes every default")
    {
        PluginSection section;
        section.name = "injection";
        section.plugin = "injection";
        auto options = PluginOptions::validate(section, "test.toml", "plugins", tracer_keys);
        REQUIRE_MESSAGE(options.has_value(), errors_of(options));
        CHECK(options->get_integer("window_s") == 60);
        REQUIRE(options->get_list("allowed_tracers").has_value());
        CHECK(options->get_list("allowed_tracers")->size() == 1);
    }

    TEST_CASE("plugin options: a default that is not its declared type is the plugin's error")
    {
        auto config = parse_config("\n[plugins.broken]\nwindow_s = 5\n", "test.toml");
        REQUIRE(config.has_value());
        const vigil_config_key bad_keys[] = {
            config_key("window_s", VIGIL_CONFIG_INTEGER, "\"sixty\"", "Seconds."),
            config_key("names", VIGIL_CONFIG_STRING_LIST, "[1, 2]", "Names."),
            config_key("ratio", VIGIL_CONFIG_FLOAT, "[unclosed", "A fraction."),
            config_key("label", VIGIL_CONFIG_STRING, nullptr, "A name."),
            config_key("two", VIGIL_CONFIG_INTEGER, "1\nthree = 3", "Not one value."),
        };
        auto options = PluginOptions::validate(config->detectors[0], config->path, "plugins", bad_keys);
        REQUIRE_FALSE(options.has_value());
        auto errors = options.error();
        REQUIRE(errors.size() == 5);
        // Reported even though the operator set window_s, since the plugin is broken
        // either way; and only once: the operator's window_s is not called unknown.
        CHECK(errors[0].to_string() == "test.toml:2:1: plugins.broken.window_s: plugin 'broken' declares a bad "
                                       "default for 'window_s': expected an integer, got a string");
        CHECK(errors[1].to_string() == "test.toml:2:1: plugins.broken.names: plugin 'broken' declares a bad default "
                                       "for 'names': item 1: expected a string, got an integer");
        CHECK(errors[2].to_string().starts_with("test.toml:2:1: plugins.broken.ratio: plugin 'broken' declares a "
                                                "bad default for 'ratio': '[unclosed' is not a TOML value ("));
        CHECK(errors[3].to_string() ==
              "test.toml:2:1: plugins.broken.label: plugin 'broken' declares a bad default for 'label': it has none");
        CHECK(errors[4].to_string() == "test.toml:2:1: plugins.broken.two: plugin 'broken' declares a bad default "
                                       "for 'two': '1\nthree = 3' is not a single TOML value");
    }

    TEST_CASE("plugin options: declarations without a name, of unknown type, twice, or reserved")
    {
        PluginSection section;
        section.name = "odd";
        section.plugin = "odd";
        section.location = {"test.toml", 4, 1};
        const vigil_config_key odd_keys[] = {
            config_key(nullptr, VIGIL_CONFIG_BOOL, "true", "No name."),
            vigil_config_key{sizeof(vigil_config_key), "level", 9, "1", "Unknown type."},
            config_key("window_s", VIGIL_CONFIG_INTEGER, "1", "First."),
            config_key("window_s", VIGIL_CONFIG_INTEGER, "2", "Second."),
            config_key("enabled", VIGIL_CONFIG_BOOL, "true", "Reserved."),
        };
        auto options = PluginOptions::validate(section, "test.toml", "plugins", odd_keys);
        CHECK(errors_of(options) ==
              "test.toml:4:1: plugins.odd.: plugin 'odd' declares option 1 without a name\n"
              "test.toml:4:1: plugins.odd.level: plugin 'odd' declares 'level' with an unknown type (9)\n"
              "test.toml:4:1: plugins.odd.window_s: plugin 'odd' declares 'window_s' twice\n"
              "test.toml:4:1: plugins.odd.enabled: plugin 'odd' declares the reserved key 'enabled', which the "
              "sensor itself reads\n");
    }

    TEST_CASE("plugin options: keys are stepped by the plugin's struct_size")
    {
        // A plugin built against a newer SDK whose vigil_config_key has grown.
        struct LargerKey {
            vigil_config_key key;
            uint64_t field_from_the_future;
        };
        const LargerKey larger_keys[] = {
            {{sizeof(LargerKey), "first", VIGIL_CONFIG_INTEGER, "1", "First."}, 0xffffffffffffffffULL},
            {{sizeof(LargerKey), "second", VIGIL_CONFIG_STRING, "\"two\"", "Second."}, 0xffffffffffffffffULL},
        };
        PluginSection section;
        section.name = "future";
        auto keys = std::span<const vigil_config_key>(&larger_keys[0].key, std::size(larger_keys));
        auto options = PluginOptions::validate(section, "test.toml", "plugins", keys);
        REQUIRE_MESSAGE(options.has_value(), errors_of(options));
        CHECK(options->get_integer("first") == 1);
        CHECK(options->get_string("second") == "two");
    }

    TEST_CASE("plugin options: typed accessors refuse other types and unknown keys")
    {
        PluginSection section;
        section.name = "injection";
        auto options = PluginOptions::validate(section, "test.toml", "plugins", tracer_keys);
        REQUIRE(options.has_value());
        CHECK_FALSE(options->get_integer("ratio").has_value());
        CHECK_FALSE(options->get_string("allowed_tracers").has_value());
        CHECK_FALSE(options->get_list("label").has_value());
        CHECK_FALSE(options->get_float("window_s").has_value());
        CHECK_FALSE(options->get_bool("missing").has_value());
    }
}
