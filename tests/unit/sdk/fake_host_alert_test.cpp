// SPDX-License-Identifier: Apache-2.0
// The alert_echo fixture through FakeHost: what a test of a joining detector
// looks like, and proof that FakeHost delivers raised alerts (ABI 1.5). The
// careless_alerts fixture: FakeHost refuses the alerts the sensor refuses and
// lints the others' mistakes.
#include <doctest/doctest.h>

#include <cerrno>
#include <string>
#include <vector>

#include <vigil/testing/fake_host.hpp>

TEST_CASE("sdk: FakeHost delivers another detector's alert to a subscribed detector")
{
    vigil::testing::FakeHost host(std::string(VIGIL_FIXTURE_PLUGIN_DIR) + "/alert_echo.so");
    REQUIRE(host.descriptor().subscribed_kind_count == 1);
    CHECK(host.descriptor().subscribed_kinds[0] == VIGIL_KIND_ALERT_RAISED);
    REQUIRE(host.start() == 0);

    vigil::testing::FakeRaisedAlert raised;
    raised.rule = "escape.release_agent_write";
    raised.plugin = "escape";
    raised.severity = VIGIL_SEVERITY_CRITICAL;
    raised.pod_uid = "uid-1";
    raised.service_account = "web";
    raised.finding_key = "escape.release_agent_write/abc/x";
    raised.techniques = {{"T1611", "Escape to Host"}};
    raised.evidence = {{"path", "/sys/fs/cgroup/release_agent"}};
    CHECK(host.deliver_alert(raised) == 0);

    REQUIRE(host.alerts().size() == 1);
    const auto &alert = host.alerts()[0];
    CHECK(alert.rule == "alert_echo.seen");
    CHECK(alert.evidence.at("rule") == "escape.release_agent_write");
    CHECK(alert.evidence.at("pod_uid") == "uid-1");
    CHECK(alert.evidence.at("service_account") == "web");
    CHECK(alert.evidence.at("technique_count") == "1");
    CHECK(alert.event_kind == VIGIL_KIND_ALERT_RAISED);
    CHECK(host.problems().empty());

    // Any other kind: raised_alert() is null, so the fixture stays quiet.
    vigil::testing::FakeAuditEvent audit;
    CHECK(host.deliver_audit(audit) == 0);
    CHECK(host.alerts().size() == 1);
}

namespace {

// What FakeHost made of the one alert careless_alerts raises with @mistake.
struct Outcome {
    int status = 0;
    std::vector<vigil::testing::RecordedAlert> alerts;
    std::vector<std::string> lint;
    std::vector<std::string> problems;
};

Outcome raise_with(const char *mistake)
{
    vigil::testing::FakeHost host(VIGIL_CARELESS_ALERTS_PLUGIN);
    host.set_option("mistake", mistake);
    REQUIRE(host.start() == 0);
    Outcome outcome;
    outcome.status = host.deliver_audit(vigil::testing::FakeAuditEvent{});
    outcome.alerts = host.alerts();
    outcome.lint = host.lint();
    outcome.problems = host.problems();
    return outcome;
}

} // namespace

TEST_CASE("sdk: FakeHost refuses the alerts the sensor refuses, and only those")
{
    auto fine = raise_with("none");
    CHECK(fine.status == 0);
    REQUIRE(fine.alerts.size() == 1);
    CHECK(fine.alerts[0].has_event);
    CHECK(fine.alerts[0].event_kind == VIGIL_KIND_AUDIT_EVENT);
    CHECK(fine.problems.empty());

    for (const char *refused : {"no_request", "no_rule"}) {
        CAPTURE(refused);
        auto outcome = raise_with(refused);
        CHECK(outcome.status == -EINVAL);
        CHECK(outcome.alerts.empty());
        CHECK(outcome.problems.size() == 1);
        CHECK(outcome.lint.empty());
    }
}

TEST_CASE("sdk: FakeHost records what the sensor accepts with a mistake, and lints it as a problem")
{
    for (const char *accepted : {"foreign_rule", "empty_summary", "no_summary", "undeclared_tactic",
                                 "severity_above_critical", "evidence_without_key", "evidence_twice",
                                 "evidence_of_unknown_type", "evidence_without_string", "stale_event"}) {
        CAPTURE(accepted);
        auto outcome = raise_with(accepted);
        CHECK(outcome.status == 0);
        CHECK(outcome.alerts.size() == 1);
        CHECK(outcome.lint.size() == 1);
        CHECK(outcome.problems == outcome.lint);
    }
    auto clamped = raise_with("severity_above_critical");
    CHECK(clamped.alerts.at(0).severity == VIGIL_SEVERITY_CRITICAL);
    auto undeclared = raise_with("undeclared_tactic");
    CHECK(undeclared.alerts.at(0).tactics == std::vector<std::string>{"TA0040"});
    auto first_kept = raise_with("evidence_twice");
    CHECK(first_kept.alerts.at(0).evidence_at("path") == "/first");
    // An event the plugin kept from earlier: the sensor ignores it and takes subject_tgid.
    auto stale = raise_with("stale_event");
    CHECK_FALSE(stale.alerts.at(0).has_event);
    CHECK(stale.alerts.at(0).subject_tgid == 42);
}
