// SPDX-License-Identifier: Apache-2.0
// The exact event the PagerDuty output formats for a given alert, its limits and escaping.
#include <doctest/doctest.h>

#include <string>

#include <vigil/output_text.hpp>
#include <vigil/testing/sample_alert.hpp>

#include "event_body.hpp"

using vigil::testing::SampleAlert;
using namespace vigil_pagerduty;

TEST_CASE("a trigger: dedup key, summary, source, severity, timestamp, component, group, class, the alert as details")
{
    SampleAlert sample;
    CHECK(event_body(sample.view(), "fallback") ==
          R"({"event_action":"trigger","dedup_key":"vigil/injection.ptrace_attach/c0ffee/7->42",)"
          R"("client":"vigil","payload":{"summary":"ptrace attach to pid 42 by /usr/bin/gdb )"
          R"x((high, injection.ptrace_attach, container c0ffee on node-1)","source":"node-1/payments/api-7d9f",)x"
          R"("severity":"error","timestamp":"2024-05-01T12:00:00.123Z","component":"/usr/bin/gdb",)"
          R"("group":"payments","class":"injection.ptrace_attach","custom_details":)" +
              sample.json + "}}");
}

TEST_CASE("the routing key goes in first at send time, never into the formatted request")
{
    CHECK(with_routing_key(R"({"event_action":"trigger"})", "0123456789abcdef0123456789abcdef") ==
          R"({"routing_key":"0123456789abcdef0123456789abcdef","event_action":"trigger"})");
    SampleAlert sample;
    CHECK(event_body(sample.view(), "n").find("routing_key") == std::string::npos);
}

TEST_CASE("severity mapping")
{
    CHECK(pagerduty_severity(VIGIL_SEVERITY_CRITICAL) == "critical");
    CHECK(pagerduty_severity(VIGIL_SEVERITY_HIGH) == "error");
    CHECK(pagerduty_severity(VIGIL_SEVERITY_MEDIUM) == "warning");
    CHECK(pagerduty_severity(VIGIL_SEVERITY_LOW) == "info");
    CHECK(pagerduty_severity(VIGIL_SEVERITY_INFO) == "info");
}

TEST_CASE("dedup key: the sensor's finding key, so repeats of a finding update one incident; at most 255 characters")
{
    SampleAlert sample;
    const auto key = dedup_key(sample.view(), "n");
    CHECK(key == "vigil/injection.ptrace_attach/c0ffee/7->42");
    sample.summary = "another attach, same finding";
    sample.repeat_count = 3;
    CHECK(dedup_key(sample.view(), "n") == key); // a repeat, even the dedup summary, updates the incident
    sample.finding_key = "injection.ptrace_attach/beef/7->42";
    CHECK(dedup_key(sample.view(), "n") != key); // another container: another incident

    sample.finding_key = "injection.ptrace_attach/node-1/" + std::string(400, 'x');
    const auto long_key = dedup_key(sample.view(), "n");
    CHECK(long_key.size() == max_dedup_key);
    sample.finding_key.back() = 'y';
    CHECK(dedup_key(sample.view(), "n") != long_key); // differing only at the end, still apart
}

TEST_CASE("dedup key from an ABI 1.2 sensor: rule, container or node and pid, executable")
{
    SampleAlert sample;
    sample.finding_key = ""; // the view has no finding key
    const auto key = dedup_key(sample.view(), "n");
    CHECK(key == "vigil/injection.ptrace_attach/c0ffee//usr/bin/gdb");
    sample.repeat_count = 3;
    CHECK(dedup_key(sample.view(), "n") == key);
    sample.container = "beef";
    CHECK(dedup_key(sample.view(), "n") != key);

    sample.in_container = false;
    CHECK(dedup_key(sample.view(), "fallback") == "vigil/injection.ptrace_attach/node-1/pid7//usr/bin/gdb");
    sample.node = "";
    CHECK(dedup_key(sample.view(), "fallback") == "vigil/injection.ptrace_attach/fallback/pid7//usr/bin/gdb");

    sample.exe = "/" + std::string(400, 'x');
    const auto long_key = dedup_key(sample.view(), "n");
    CHECK(long_key.size() == max_dedup_key);
    sample.exe.back() = 'y';
    CHECK(dedup_key(sample.view(), "n") != long_key);
}

TEST_CASE("source and group for a host process and for a container without pod")
{
    SampleAlert sample;
    sample.in_container = false;
    sample.json = R"({"rule":"x","k8s":{"node":"node-1"}})";
    CHECK(event_source(sample.view(), "n") == "node-1");
    auto body = event_body(sample.view(), "n");
    CHECK(vigil::json::string_at(body, {"payload", "group"}) == std::string("host"));
    CHECK(vigil::json::string_at(body, {"payload", "summary"}) ==
          std::string("ptrace attach to pid 42 by /usr/bin/gdb (high, injection.ptrace_attach, host node-1)"));
    sample.in_container = true;
    sample.container = "0123456789abcdef0123";
    CHECK(event_source(sample.view(), "n") == "node-1/0123456789ab");
    body = event_body(sample.view(), "n");
    CHECK(vigil::json::string_at(body, {"payload", "group"}) == std::string("containers"));
}

TEST_CASE("summary: at most 1024 characters, cut between UTF-8 characters; repeats counted")
{
    SampleAlert sample;
    sample.repeat_count = 12;
    CHECK(event_summary(sample.view(), "n").ends_with("on node-1), repeated 12 more times"));
    std::string long_summary;
    for (int index = 0; index < 700; ++index) {
        long_summary += "\xE2\x82\xAC"; // €, three bytes
    }
    sample.summary = long_summary;
    auto summary = event_summary(sample.view(), "n");
    CHECK(summary.size() <= max_summary);
    CHECK(summary.size() == 1023); // 341 whole € in 1024 bytes
    CHECK(vigil::json::utf8_prefix(summary, summary.size()) == summary);
    auto body = event_body(sample.view(), "n");
    CHECK(vigil::json::string_at(body, {"payload", "summary"}) == summary);
}

TEST_CASE("escaping in every string, invalid UTF-8 replaced")
{
    SampleAlert sample;
    sample.summary = "say \"hi\"\\\n\xFF";
    auto body = event_body(sample.view(), "n");
    CHECK(body.find(R"("summary":"say \"hi\"\\\n)"
                    "\xEF\xBF\xBD"
                    R"( (high,)") != std::string::npos);
}

TEST_CASE("an event that would pass 512 KB carries a short stand-in for the alert's JSON")
{
    SampleAlert sample;
    sample.json = R"({"rule":"injection.ptrace_attach","evidence":{"blob":")" + std::string(600'000, 'x') + "\"}}";
    auto body = event_body(sample.view(), "n");
    CHECK(body.size() < 2000);
    CHECK(body.ends_with(
        R"("custom_details":{"rule":"injection.ptrace_attach","severity":"high","vigil_truncated":true}}})"));
    CHECK(with_routing_key(body, std::string(32, 'k')).size() <= max_body_bytes);
    sample.json = R"({"rule":"injection.ptrace_attach","evidence":{"blob":")" + std::string(500'000, 'x') + "\"}}";
    body = with_routing_key(event_body(sample.view(), "n"), std::string(32, 'k'));
    CHECK(body.size() > 500'000);
    CHECK(body.size() <= max_body_bytes);
}
