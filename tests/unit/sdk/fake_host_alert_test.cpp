// The alert_echo fixture through FakeHost: what a test of a joining detector
// looks like, and proof that FakeHost delivers raised alerts (ABI 1.5).
#include <doctest/doctest.h>

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
