// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/route.hpp"

using namespace vigil::alerts;

namespace {

Alert make_alert(const char *rule, vigil_severity severity, std::vector<std::string> tactic_ids)
{
    Alert alert;
    alert.rule = rule;
    alert.severity = severity;
    for (auto &id : tactic_ids) {
        alert.tactics.push_back(AttackRef{std::move(id), ""});
    }
    return alert;
}

} // namespace

TEST_SUITE("alerts")
{
    TEST_CASE("route: every alert by default")
    {
        Route route;
        CHECK(route.accepts(make_alert("sensor.events_lost", VIGIL_SEVERITY_INFO, {})));
        CHECK(route.describe() == "every alert");
    }

    TEST_CASE("route: a pager's route takes privilege escalation and lateral movement at high and above")
    {
        Route pager;
        pager.min_severity = VIGIL_SEVERITY_HIGH;
        pager.tactics = {"TA0004", "TA0008"};
        pager.exclude_rules = vigil::GlobList({"escape.bpf_*"});
        CHECK(pager.accepts(make_alert("escape.release_agent_write", VIGIL_SEVERITY_CRITICAL, {"TA0004"})));
        CHECK(pager.accepts(make_alert("lateral_movement.x", VIGIL_SEVERITY_HIGH, {"TA0006", "TA0008"})));
        CHECK_FALSE(pager.accepts(make_alert("escape.mount_procfs", VIGIL_SEVERITY_LOW, {"TA0004"})));
        CHECK_FALSE(pager.accepts(make_alert("cryptomining.miner_exec", VIGIL_SEVERITY_CRITICAL, {"TA0040"})));
        CHECK_FALSE(pager.accepts(make_alert("sensor.events_lost", VIGIL_SEVERITY_HIGH, {})));
        CHECK_FALSE(pager.accepts(make_alert("escape.bpf_program_load", VIGIL_SEVERITY_HIGH, {"TA0004"})));
        CHECK(pager.describe() == "severity >= high, tactics TA0004 TA0008, not rules escape.bpf_*");
    }

    TEST_CASE("route: excluded tactics and rule globs")
    {
        Route review;
        review.exclude_tactics = {"TA0040"};
        review.rules = vigil::GlobList({"escape.*", "injection.*"});
        CHECK(review.accepts(make_alert("injection.ptrace_attach", VIGIL_SEVERITY_HIGH, {"TA0005", "TA0004"})));
        CHECK_FALSE(review.accepts(make_alert("lateral_movement.token_read", VIGIL_SEVERITY_MEDIUM, {"TA0006"})));
        CHECK_FALSE(review.accepts(make_alert("escape.x", VIGIL_SEVERITY_MEDIUM, {"TA0004", "TA0040"})));
    }

    TEST_CASE("route: the operator's keys replace the plugin's default one by one")
    {
        Route pager;
        pager.min_severity = VIGIL_SEVERITY_HIGH;
        pager.tactics = {"TA0004", "TA0008"};
        vigil::config::RouteOverrides overrides;
        overrides.min_severity = VIGIL_SEVERITY_CRITICAL;
        auto route = vigil::alerts::route_with_overrides(pager, overrides);
        CHECK(route.min_severity == VIGIL_SEVERITY_CRITICAL);
        CHECK(route.tactics == std::vector<std::string>{"TA0004", "TA0008"}); // kept
        overrides.tactics = std::vector<std::string>{};
        CHECK(vigil::alerts::route_with_overrides(pager, overrides).tactics.empty()); // cleared on purpose
    }
}
