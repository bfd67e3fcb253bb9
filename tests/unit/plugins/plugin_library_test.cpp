// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <unistd.h>

#include "core/plugins/plugin_library.hpp"

using namespace vigil::plugins;

namespace {

const Refusal *refusal_for(const PluginDirectory &directory, std::string_view file_name)
{
    for (const auto &refusal : directory.refused) {
        if (refusal.file.ends_with(file_name)) {
            return &refusal;
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("plugin directory: bad plugins are refused with a reason and the others load")
{
    if (geteuid() != 0) {
        FAIL("the trust check refuses plugins not owned by root: run the unit tests as root");
    }
    auto directory = load_plugin_directory(VIGIL_FIXTURE_PLUGIN_DIR);

    const auto *wrong_abi = refusal_for(directory, "wrong_abi.so");
    REQUIRE(wrong_abi != nullptr);
    CHECK(wrong_abi->reason.find("ABI 99") != std::string::npos);

    const auto *no_entry = refusal_for(directory, "no_entry_point.so");
    REQUIRE(no_entry != nullptr);
    CHECK(no_entry->reason.find("vigil_plugin_entry") != std::string::npos);

    std::vector<std::string> loaded;
    for (const auto &plugin : directory.plugins) {
        loaded.push_back(plugin->descriptor().name);
    }
    // failing_init loads here: its init only fails when the sensor starts it.
    CHECK(loaded ==
          std::vector<std::string>{"alert_echo", "alert_echo_twin", "audit_echo", "failing_init", "minimal_detector"});
}
