// SPDX-License-Identifier: Apache-2.0
// The audit_echo fixture through FakeHost: what a detector author's test of
// an audit rule looks like, and proof that FakeHost delivers audit events.
#include <doctest/doctest.h>

#include <vigil/testing/fake_host.hpp>

TEST_SUITE("audit")
{
    TEST_CASE("audit FakeHost: delivers an audit event to a subscribed detector")
    {
        vigil::testing::FakeHost host(std::string(VIGIL_FIXTURE_PLUGIN_DIR) + "/audit_echo.so");
        REQUIRE(host.descriptor().subscribed_kind_count == 1);
        CHECK(host.descriptor().subscribed_kinds[0] == VIGIL_KIND_AUDIT_EVENT);
        REQUIRE(host.start() == 0);

        vigil::testing::FakeAuditEvent audit;
        audit.audit_id = "abc-123";
        audit.verb = "create";
        audit.username = "system:serviceaccount:shop:deployer";
        audit.service_account_namespace = "shop";
        audit.service_account_name = "deployer";
        audit.pod_name = "ci-runner-7";
        audit.resource = "pods";
        audit.subresource = "exec";
        CHECK(host.deliver_audit(audit) == 0);

        REQUIRE(host.alerts().size() == 1);
        const auto &alert = host.alerts()[0];
        CHECK(alert.rule == "audit_echo.event");
        CHECK(alert.summary == "audit event abc-123");
        CHECK(alert.evidence.at("audit_id") == "abc-123");
        CHECK(alert.evidence.at("service_account") == "shop/deployer");
        CHECK(alert.evidence.at("pod_name") == "ci-runner-7");
        CHECK(alert.event_kind == VIGIL_KIND_AUDIT_EVENT);
        CHECK(host.problems().empty());
    }
}
