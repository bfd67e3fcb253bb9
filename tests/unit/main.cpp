// SPDX-License-Identifier: Apache-2.0
// The doctest runner for every unit test linked into vigil_unit_tests.
// libbpf's messages go through the sensor's logging, as in the sensor itself,
// so that expected kernel refusals in the tests stay quiet.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <spdlog/spdlog.h>

#include "core/logging/logging.hpp"

int main(int argc, char **argv)
{
    vigil::logging::route_libbpf_messages();
    spdlog::set_level(spdlog::level::warn);
    doctest::Context context(argc, argv);
    return context.run();
}
