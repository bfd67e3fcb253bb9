// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "core/alerts/raised_alert_view.hpp"

using namespace vigil::alerts;

namespace {

Alert container_alert()
{
    Alert alert;
    alert.time_unix_ns = 1'700'000'000'000'000'000;
    alert.rule = "lateral_movement.token_read";
    alert.plugin = "lateral_movement";
    alert.severity = VIGIL_SEVERITY_MEDIUM;
    alert.summary = "cat read the service-account token";
    alert.tactics = {{"TA0006", "Credential Access"}};
    alert.techniques = {{"T1552.007", "Unsecured Credentials: Container API"}};
    alert.process.emplace();
    alert.process->pid = 42;
    alert.process->exe = "/bin/cat";
    alert.container.emplace();
    alert.container->id = std::string(64, 'a');
    alert.k8s.node = "node-1";
    alert.k8s.pod_uid = "uid-1";
    alert.k8s.namespace_name = "shop";
    alert.k8s.pod = "web-1";
    alert.k8s.service_account = "web";
    alert.evidence.push_back({"path", std::string("/var/run/secrets/token")});
    alert.evidence.push_back({"count", int64_t{-3}});
    alert.evidence.push_back({"bytes", uint64_t{7}});
    alert.evidence.push_back({"truncated", true});
    alert.evidence.push_back({"args", std::vector<std::string>{"cat", "token"}});
    alert.evidence.push_back({"more", std::vector<std::string>{"x"}});
    alert.dedup_key = "token";
    return alert;
}

} // namespace

TEST_CASE("alerts: the raised-alert view carries the alert, its pod and its evidence")
{
    auto alert = container_alert();
    RaisedAlertView views;
    const auto &view = views.view_of(alert);
    CHECK(view.struct_size == sizeof(vigil_raised_alert));
    CHECK(std::string(view.rule) == "lateral_movement.token_read");
    CHECK(std::string(view.plugin) == "lateral_movement");
    CHECK(view.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(view.time_unix_ns == alert.time_unix_ns);
    REQUIRE(view.tactic_count == 1);
    CHECK(std::string(view.tactics[0].id) == "TA0006");
    REQUIRE(view.technique_count == 1);
    CHECK(std::string(view.techniques[0].name) == "Unsecured Credentials: Container API");
    CHECK(view.pid == 42);
    CHECK(std::string(view.exe) == "/bin/cat");
    CHECK(std::string(view.container_id) == std::string(64, 'a'));
    CHECK(std::string(view.pod_uid) == "uid-1");
    CHECK(std::string(view.pod_namespace) == "shop");
    CHECK(std::string(view.pod_name) == "web-1");
    CHECK(std::string(view.service_account) == "web");
    CHECK(std::string(view.node) == "node-1");
    CHECK(std::string(view.finding_key) == "lateral_movement.token_read/" + std::string(64, 'a') + "/token");

    REQUIRE(view.evidence_count == 6);
    CHECK(view.evidence[0].type == VIGIL_EVIDENCE_STRING);
    CHECK(std::string(view.evidence[0].string_value) == "/var/run/secrets/token");
    CHECK(view.evidence[1].type == VIGIL_EVIDENCE_INTEGER);
    CHECK(view.evidence[1].integer_value == -3);
    CHECK(view.evidence[2].type == VIGIL_EVIDENCE_UNSIGNED);
    CHECK(view.evidence[2].unsigned_value == 7);
    CHECK(view.evidence[3].type == VIGIL_EVIDENCE_BOOL);
    CHECK(view.evidence[3].integer_value == 1);
    REQUIRE(view.evidence[4].type == VIGIL_EVIDENCE_STRING_LIST);
    REQUIRE(view.evidence[4].list_count == 2);
    CHECK(std::string(view.evidence[4].list_values[1]) == "token");
    // The second list has its own pointer array: the first one is still whole.
    REQUIRE(view.evidence[5].list_count == 1);
    CHECK(std::string(view.evidence[5].list_values[0]) == "x");
    CHECK(std::string(view.evidence[4].list_values[0]) == "cat");
}

TEST_CASE("alerts: the raised-alert view of a host alert has empty strings, never null")
{
    Alert alert;
    alert.rule = "escape.kernel_module_load";
    alert.plugin = "escape";
    alert.k8s.node = "node-1";
    RaisedAlertView views;
    const auto &view = views.view_of(alert);
    CHECK(view.pid == 0);
    REQUIRE(view.exe != nullptr);
    CHECK(std::string(view.exe).empty());
    CHECK(std::string(view.container_id).empty());
    CHECK(std::string(view.pod_uid).empty());
    CHECK(std::string(view.service_account).empty());
    CHECK(view.evidence_count == 0);
    CHECK(std::string(view.finding_key) == "escape.kernel_module_load/node-1/");
}
