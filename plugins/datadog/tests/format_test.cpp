// SPDX-License-Identifier: Apache-2.0
// The exact bytes the Datadog output formats for a given alert, the limits, escaping and truncation.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <vigil/output_text.hpp>
#include <vigil/testing/sample_alert.hpp>

#include "event_body.hpp"
#include "gzip.hpp"
#include "log_batch.hpp"
#include "request_parts.hpp"
#include "tags.hpp"

using vigil::testing::SampleAlert;
using namespace vigil_datadog;

namespace {

const std::string expected_tags =
    "mitre_tactic:TA0005,mitre_tactic:TA0004,mitre_technique:T1055.008,rule:injection.ptrace_attach,"
    "severity:high,container_id:c0ffee,kube_namespace:payments,pod_name:api-7d9f,pod_uid:1234-abcd,"
    "kube_node:node-1";

} // namespace

TEST_CASE("a log entry is the alert's JSON with Datadog's reserved attributes in front")
{
    SampleAlert sample;
    auto alert = sample.view();
    Formatting formatting;
    formatting.fallback_host = "fallback";
    const std::string members = sample.json.substr(1); // the alert's members and its closing brace
    CHECK(log_entry(alert, formatting) ==
          R"({"message":"ptrace attach to pid 42 by /usr/bin/gdb","ddsource":"vigil","ddtags":")" + expected_tags +
              R"(","hostname":"node-1","service":"vigil","status":"error","timestamp":1714564800123,)" + members);
}

TEST_CASE("tags: ATT&CK, rule, severity, container, pod and node where known, then the extra ones")
{
    SampleAlert sample;
    Formatting formatting;
    formatting.extra_tags = {"env:prod"};
    std::string joined;
    for (const auto &tag : alert_tags(sample.view(), formatting)) {
        joined += (joined.empty() ? "" : ",") + tag;
    }
    CHECK(joined == expected_tags + ",env:prod");

    sample.in_container = false;
    sample.with_pod = false;
    sample.json = R"({"rule":"x.y","k8s":{"node":"node-1"}})";
    sample.tactics.clear();
    sample.techniques.clear();
    joined.clear();
    for (const auto &tag : alert_tags(sample.view(), Formatting{})) {
        joined += (joined.empty() ? "" : ",") + tag;
    }
    CHECK(joined == "rule:injection.ptrace_attach,severity:high,kube_node:node-1");
    // A comma or space in a value would split the tag list: replaced.
    CHECK(make_tag("pod_name", "a b,c\"d") == "pod_name:a_b_c_d");
    CHECK(make_tag("k", std::string(300, 'x')).size() == max_tag_length);
}

TEST_CASE("severity maps to the log status and the event's alert_type and priority")
{
    CHECK(log_status(VIGIL_SEVERITY_CRITICAL) == "critical");
    CHECK(log_status(VIGIL_SEVERITY_HIGH) == "error");
    CHECK(log_status(VIGIL_SEVERITY_MEDIUM) == "warning");
    CHECK(log_status(VIGIL_SEVERITY_LOW) == "notice");
    CHECK(log_status(VIGIL_SEVERITY_INFO) == "info");
    CHECK(event_alert_type(VIGIL_SEVERITY_CRITICAL) == "error");
    CHECK(event_alert_type(VIGIL_SEVERITY_HIGH) == "error");
    CHECK(event_alert_type(VIGIL_SEVERITY_MEDIUM) == "warning");
    CHECK(event_alert_type(VIGIL_SEVERITY_LOW) == "info");
    CHECK(event_alert_type(VIGIL_SEVERITY_INFO) == "info");
    SampleAlert sample;
    sample.severity = VIGIL_SEVERITY_MEDIUM;
    CHECK(event_body(sample.view(), Formatting{}).find(R"("alert_type":"warning","priority":"low")") !=
          std::string::npos);
}

TEST_CASE("an event: title, readable text, tags array, aggregation key, host and date")
{
    SampleAlert sample;
    Formatting formatting;
    const auto text = event_text(sample.view());
    CHECK(text == "ptrace attach to pid 42 by /usr/bin/gdb\n\nrule: injection.ptrace_attach\nseverity: high\n"
                  "tactics: TA0005 Defense Evasion, TA0004 Privilege Escalation\n"
                  "techniques: T1055.008 Ptrace System Calls\nprocess: /usr/bin/gdb (pid 7)\ncontainer: c0ffee\n"
                  "pod: payments/api-7d9f\nnode: node-1\n\n" +
                      sample.json);
    std::string escaped_text;
    vigil::json::append_string(escaped_text, text);
    CHECK(event_body(sample.view(), formatting) ==
          R"({"title":"[vigil] ptrace attach to pid 42 by /usr/bin/gdb","text":)" + escaped_text +
              R"(,"alert_type":"error","priority":"normal","tags":["mitre_tactic:TA0005","mitre_tactic:TA0004",)"
              R"("mitre_technique:T1055.008","rule:injection.ptrace_attach","severity:high","container_id:c0ffee",)"
              R"("kube_namespace:payments","pod_name:api-7d9f","pod_uid:1234-abcd","kube_node:node-1"],)"
              R"("aggregation_key":"injection.ptrace_attach:c0ffee","source_type_name":"vigil","host":"node-1",)"
              R"("date_happened":1714564800})");
    sample.in_container = false;
    CHECK(event_aggregation_key(sample.view(), formatting) == "injection.ptrace_attach:host:node-1");
    sample.repeat_count = 5;
    CHECK(event_text(sample.view()).find("\nrepeated: 5 more times\n") != std::string::npos);
}

TEST_CASE("event limits: text at most 4000 characters, title 100, aggregation key 100, cut between characters")
{
    SampleAlert sample;
    // Two-byte characters, so that a byte limit could fall inside one.
    std::string long_summary;
    for (int index = 0; index < 3000; ++index) {
        long_summary += "\xC3\xA9"; // é
    }
    sample.summary = long_summary;
    auto alert = sample.view();
    const auto text = event_text(alert);
    CHECK(text.size() <= event_max_text_chars);
    CHECK(text.size() % 2 == 0); // only whole é
    CHECK(vigil::json::utf8_prefix(text, text.size()) == text);
    const auto body = event_body(alert, Formatting{});
    auto title = vigil::json::string_at(body, {"title"});
    REQUIRE(title);
    CHECK(title->size() <= event_max_title_bytes);
    CHECK(title->starts_with("[vigil] \xC3\xA9"));
    CHECK(title->size() == 8 + 46 * 2); // 8 bytes of prefix, then 46 whole é in the 92 bytes left

    sample.rule = std::string(120, 'r');
    auto key = event_aggregation_key(sample.view(), Formatting{});
    CHECK(key.size() == event_max_aggregation_key);
    sample.container = "other";
    CHECK(event_aggregation_key(sample.view(), Formatting{}) != key); // the hash keeps them apart
}

TEST_CASE("escaping: quotes, backslashes, control characters and invalid UTF-8")
{
    std::string out;
    vigil::json::append_string(out, std::string("a\"b\\c\nd\x01\x7f"
                                                "e\xFFz\xE2\x82",
                                                14));
    // A sequence cut short at the end is one U+FFFD (the Unicode recommended practice).
    CHECK(out == "\"a\\\"b\\\\c\\nd\\u0001\\u007fe\xEF\xBF\xBDz\xEF\xBF\xBD\"");
    SampleAlert sample;
    sample.summary = "evil \"summary\"\n";
    auto entry = log_entry(sample.view(), Formatting{});
    CHECK(entry.starts_with(R"({"message":"evil \"summary\"\n","ddsource")"));
    CHECK(vigil::json::string_at(entry, {"message"}) == std::string("evil \"summary\"\n"));
    CHECK(vigil::json::string_at(entry, {"k8s", "pod"}) == std::string("api-7d9f"));
}

TEST_CASE("a log batch: a JSON array within 1000 entries and the request's bytes")
{
    SampleAlert sample;
    auto alert = sample.view();
    std::vector<const vigil_alert *> alerts(1200, &alert);
    std::string body;
    Formatting formatting;
    CHECK(format_log_batch(alerts, formatting, body) == logs_max_entries);
    CHECK(body.front() == '[');
    CHECK(body.back() == ']');
    CHECK(body.size() <= logs_max_request_bytes);

    const auto one = log_entry(alert, formatting).size();
    // Room for exactly three entries: "[" + 3 entries + 2 commas + "]".
    CHECK(format_log_batch(alerts, formatting, body, 3 * one + 4) == 3);
    CHECK(body.size() == 3 * one + 4);
    CHECK(format_log_batch(alerts, formatting, body, 3 * one + 3) == 2);
    // One alert is always taken, even if it alone is over the (tiny) limit.
    CHECK(format_log_batch(alerts, formatting, body, 10) == 1);
    CHECK(format_log_batch(std::span(alerts).first(1), formatting, body) == 1);
    CHECK(body == "[" + log_entry(alert, formatting) + "]");
}

TEST_CASE("an entry over 1 MB is sent without the alert's full JSON, marked truncated")
{
    SampleAlert sample;
    sample.json = R"({"rule":"injection.ptrace_attach","evidence":{"blob":")" + std::string(1'100'000, 'x') + "\"}}";
    auto entry = log_entry(sample.view(), Formatting{});
    CHECK(entry.size() < 2000);
    CHECK(entry.find(R"("rule":"injection.ptrace_attach","plugin":"injection","severity":"high",)"
                     R"("time":"2024-05-01T12:00:00.123Z","vigil_truncated":true})") != std::string::npos);
    CHECK(entry.find("xxxx") == std::string::npos);
}

TEST_CASE("request framing: parts in a row, and anything else refused")
{
    std::string request;
    append_part(request, PartKind::logs, "[1]");
    append_part(request, PartKind::event, "{\"a\":\"\n\"}");
    append_part(request, PartKind::logs_gzip, "");
    CHECK(request == "L3\n[1]E9\n{\"a\":\"\n\"}Z0\n");
    auto parts = split_parts(request);
    REQUIRE(parts);
    REQUIRE(parts->size() == 3);
    CHECK((*parts)[0].kind == PartKind::logs);
    CHECK((*parts)[0].body == "[1]");
    CHECK((*parts)[1].kind == PartKind::event);
    CHECK((*parts)[1].body == "{\"a\":\"\n\"}");
    CHECK((*parts)[2].body.empty());
    CHECK_FALSE(split_parts(""));
    CHECK_FALSE(split_parts("L4\n[1]"));
    CHECK_FALSE(split_parts("X3\n[1]"));
    CHECK_FALSE(split_parts("L\n"));
    CHECK_FALSE(split_parts("L3x\n[1]"));
}

TEST_CASE("gzip output is a gzip stream")
{
    const std::string data(10000, 'a');
    auto compressed = gzip(data);
    REQUIRE(compressed.size() > 18);
    CHECK(static_cast<unsigned char>(compressed[0]) == 0x1f);
    CHECK(static_cast<unsigned char>(compressed[1]) == 0x8b);
    CHECK(compressed.size() < 200);
}

TEST_CASE("output_text: bounded keys and ISO 8601")
{
    using namespace vigil::text;
    CHECK(bounded_key("short", 20) == "short");
    auto key = bounded_key(std::string(40, 'k'), 20);
    CHECK(key.size() == 20);
    CHECK(key.starts_with("kkk~"));
    CHECK(iso8601_utc_ms(SampleAlert::time_ns) == "2024-05-01T12:00:00.123Z");
}
