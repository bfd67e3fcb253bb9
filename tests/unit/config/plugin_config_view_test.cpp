// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <utility>

#include <vigil/plugin.hpp>

#include "core/config/config.hpp"
#include "core/config/plugin_options.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace vigil::config;
using vigil::config_key;
using vigil::config::testing::joined;

namespace {

const vigil_config_key keys[] = {
    config_key("tracers", VIGIL_CONFIG_STRING_LIST, "[\"gdb\", \"strace\"]", "Tracers."),
    config_key("window_s", VIGIL_CONFIG_INTEGER, "60", "Seconds."),
    config_key("ratio", VIGIL_CONFIG_FLOAT, "0.25", "A fraction."),
    config_key("verbose", VIGIL_CONFIG_BOOL, "false", "Say more."),
    config_key("label", VIGIL_CONFIG_STRING, "\"none\"", "A name."),
};

PluginOptions options_from(std::string_view text)
{
    auto config = parse_config(text, "test.toml");
    REQUIRE_MESSAGE(config.has_value(), joined(config.error()));
    auto options = PluginOptions::validate(config->detectors.at(0), config->path, "plugins", keys);
    REQUIRE_MESSAGE(options.has_value(), joined(options.error()));
    // The options copy what they need: the document may go away.
    return std::move(*options);
}

} // namespace

TEST_SUITE("config")
{
    TEST_CASE("config view: every getter, on set and default values")
    {
        auto options = options_from("[plugins.injection]\nverbose = true\nwindow_s = -3\n");
        const auto *view = options.view();
        REQUIRE(view != nullptr);
        CHECK(view->struct_size == sizeof(vigil_config_view));

        int flag = 0;
        CHECK(view->get_bool(view->context, "verbose", &flag) == 0);
        CHECK(flag == 1);
        int64_t integer = 0;
        CHECK(view->get_integer(view->context, "window_s", &integer) == 0);
        CHECK(integer == -3);
        double number = 0;
        CHECK(view->get_float(view->context, "ratio", &number) == 0);
        CHECK(number == doctest::Approx(0.25));
        CHECK(std::string(view->get_string(view->context, "label")) == "none");
        REQUIRE(view->get_list_size(view->context, "tracers") == 2);
        CHECK(std::string(view->get_list_item(view->context, "tracers", 0)) == "gdb");
        CHECK(std::string(view->get_list_item(view->context, "tracers", 1)) == "strace");
    }

    TEST_CASE("config view: unknown keys, wrong types and bad arguments")
    {
        auto options = options_from("[plugins.injection]\n");
        const auto *view = options.view();
        int flag = 7;
        int64_t integer = 7;
        double number = 7;
        CHECK(view->get_bool(view->context, "missing", &flag) == -ENOENT);
        CHECK(view->get_integer(view->context, "missing", &integer) == -ENOENT);
        CHECK(view->get_float(view->context, "missing", &number) == -ENOENT);
        CHECK(view->get_bool(view->context, "window_s", &flag) == -EINVAL);
        CHECK(view->get_integer(view->context, "ratio", &integer) == -EINVAL);
        CHECK(view->get_float(view->context, "window_s", &number) == -EINVAL);
        CHECK(view->get_integer(view->context, nullptr, &integer) == -EINVAL);
        CHECK(view->get_integer(view->context, "window_s", nullptr) == -EINVAL);
        // Failed calls leave the output alone.
        CHECK(flag == 7);
        CHECK(integer == 7);
        CHECK(number == doctest::Approx(7));

        CHECK(view->get_string(view->context, "missing") == nullptr);
        CHECK(view->get_string(view->context, "tracers") == nullptr);
        CHECK(view->get_string(view->context, nullptr) == nullptr);
        CHECK(view->get_list_size(view->context, "label") == 0);
        CHECK(view->get_list_size(view->context, "missing") == 0);
        CHECK(view->get_list_item(view->context, "tracers", 2) == nullptr);
        CHECK(view->get_list_item(view->context, "label", 0) == nullptr);
    }

    TEST_CASE("config view: its address and strings survive a move of the options")
    {
        auto options = options_from("[plugins.injection]\nlabel = \"kept\"\n");
        const auto *view = options.view();
        const char *label = view->get_string(view->context, "label");
        PluginOptions moved = std::move(options);
        CHECK(moved.view() == view);
        CHECK(view->get_string(view->context, "label") == label);
        CHECK(std::string(label) == "kept");
    }
}
