// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string_view>

#include "core/config/closest_name.hpp"

using vigil::config::did_you_mean;
using vigil::config::edit_distance;

TEST_SUITE("config")
{
    TEST_CASE("config suggestions: edit distance counts typos")
    {
        CHECK(edit_distance("log_level", "log_level") == 0);
        CHECK(edit_distance("drian", "drain") == 1); // swapped neighbours are one typo
        CHECK(edit_distance("log_levl", "log_level") == 1);
        CHECK(edit_distance("", "abc") == 3);
        CHECK(edit_distance("kitten", "sitting") == 3);
    }

    TEST_CASE("config suggestions: only close names are suggested")
    {
        constexpr std::string_view names[] = {"drain_interval_ms", "log_level", "host_proc"};
        CHECK(did_you_mean("drain_interval", names) == "");
        CHECK(did_you_mean("drain_intervl_ms", names) == "; did you mean 'drain_interval_ms'?");
        CHECK(did_you_mean("hots_proc", names) == "; did you mean 'host_proc'?");
        CHECK(did_you_mean("unrelated", names) == "");
        CHECK(did_you_mean("anything", {}) == "");
    }
}
