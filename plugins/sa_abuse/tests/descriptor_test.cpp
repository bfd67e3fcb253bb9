// SPDX-License-Identifier: Apache-2.0
// What the plugin declares, its options, and the stage and user filters every rule shares.
#include <algorithm>
#include <string_view>

#include "test_support.hpp"

using namespace sa_abuse_test;
using vigil::testing::FakeHost;

TEST_CASE("the descriptor: name, ATT&CK coverage, audit, exec and raised-alert subscriptions, no BPF")
{
    FakeHost host(SA_ABUSE_PLUGIN_PATH); // also parses every default
    CHECK(std::string_view(host.descriptor().name) == "sa_abuse");
    std::vector<std::string> tactics;
    for (const auto *ref : host.tactics()) {
        tactics.emplace_back(ref->id);
    }
    // TA0005 and TA0008, and most techniques, come from the container-side detectors a chain carries on.
    CHECK(tactics == strings({"TA0002", "TA0003", "TA0004", "TA0005", "TA0006", "TA0007", "TA0008"}));
    std::vector<std::string> techniques;
    for (const auto *ref : host.techniques()) {
        techniques.emplace_back(ref->id);
    }
    CHECK(techniques ==
          strings({"T1055", "T1055.008", "T1055.009", "T1078.001", "T1098.006", "T1528", "T1547.006", "T1550.001",
                   "T1552.005", "T1552.007", "T1574.006", "T1609", "T1611", "T1613", "T1620"}));
    REQUIRE(host.descriptor().subscribed_kind_count == 3);
    CHECK(host.descriptor().subscribed_kinds[0] == VIGIL_KIND_AUDIT_EVENT);
    CHECK(host.descriptor().subscribed_kinds[1] == VIGIL_KIND_PROCESS_EXEC);
    CHECK(host.descriptor().subscribed_kinds[2] == VIGIL_KIND_ALERT_RAISED);
    CHECK(host.bpf_objects().empty());
    CHECK(host.config_keys().size() == 16);
    CHECK(std::get<int64_t>(host.option("warmup_s")) == 600);
    CHECK(std::get<std::vector<std::string>>(host.option("unusual_call_ignore_accounts")) ==
          strings({"kube-system:*"}));
    CHECK(std::get<int64_t>(host.option("chain_window_s")) == 900);
    CHECK(std::get<std::vector<std::string>>(host.option("chain_container_plugins")) ==
          strings({"escape", "lateral_movement", "injection"}));
}

TEST_CASE("configuration errors are refused at init")
{
    auto refused = [](const char *key, vigil::testing::OptionValue value) {
        FakeHost host(SA_ABUSE_PLUGIN_PATH);
        host.set_option(key, std::move(value));
        return host.start() != 0;
    };
    CHECK(refused("disabled_rules", strings({"sa_abuse.nope"})));
    CHECK(refused("discovery_window_s", int64_t{0}));
    CHECK(refused("access_review_threshold", int64_t{0}));
    CHECK(refused("max_tracked", int64_t{1}));
    CHECK(refused("exec_join_window_s", int64_t{601}));
    CHECK(refused("chain_window_s", int64_t{0}));
    CHECK(refused("chain_container_plugins", strings({"escape", ""})));
}

TEST_CASE("only the final stage counts: RequestReceived is ignored")
{
    Sensor sensor;
    sensor.start();
    auto exec = by_account("ci", "runner", "create", "pods", "shop");
    exec.subresource = "exec";
    exec.stage = VIGIL_AUDIT_STAGE_REQUEST_RECEIVED;
    sensor.send(exec);
    exec.stage = VIGIL_AUDIT_STAGE_RESPONSE_STARTED;
    sensor.send(exec);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("sa_abuse_early_stage_events") == 2);
    exec.stage = VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE;
    sensor.send(exec);
    CHECK(sensor.rules() == strings({"sa_abuse.pods_exec"}));
}

TEST_CASE("a disabled rule raises nothing")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules", strings({"sa_abuse.pods_exec"}));
    sensor.start();
    auto exec = by_account("ci", "runner", "create", "pods", "shop");
    exec.subresource = "exec";
    sensor.send(exec);
    CHECK(sensor.alerts().empty());
}
