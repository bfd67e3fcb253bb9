// SPDX-License-Identifier: Apache-2.0
// The exact events and batches the output sends.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <vigil/testing/sample_alert.hpp>

#include "hec_event.hpp"

using vigil::testing::SampleAlert;
using vigil_splunk_hec::append_batch;
using vigil_splunk_hec::append_event;
using vigil_splunk_hec::EventSettings;

namespace {

// The alert these events are written for: a host process's.
SampleAlert sample_alert()
{
    SampleAlert alert;
    alert.json = R"({"rule":"injection.ptrace_attach","k8s":{"node":"node-1"}})";
    alert.summary = "a process attached to another with ptrace";
    alert.in_container = false;
    alert.with_pod = false;
    alert.pid = 4242;
    alert.time_unix_ns = 1700000000123456789ULL;
    return alert;
}

std::string event_of(const SampleAlert &alert, const EventSettings &settings = {})
{
    std::string out;
    auto view = alert.view();
    append_event(out, view, settings);
    return out;
}

} // namespace

TEST_CASE("a host process's alert: time in seconds and milliseconds, the alert as the event, ATT&CK as fields")
{
    CHECK(event_of(sample_alert()) ==
          R"({"time":1700000000.123,"host":"node-1","source":"vigil","sourcetype":"vigil:alert",)"
          R"("event":{"rule":"injection.ptrace_attach","k8s":{"node":"node-1"}},)"
          R"("fields":{"rule":"injection.ptrace_attach","severity":"high",)"
          R"("mitre_tactic":["TA0005","TA0004"],"mitre_technique":["T1055.008"]}})");
}

TEST_CASE("a pod's alert carries its container and pod in the fields; the index when one is set")
{
    auto alert = sample_alert();
    alert.in_container = true;
    alert.container = std::string(64, 'a');
    alert.with_pod = true;
    alert.pod_uid = "0f3c2a4e-1111-2222-3333-444455556666";
    alert.severity = VIGIL_SEVERITY_CRITICAL;
    alert.time_unix_ns = 1700000000000999999ull;
    EventSettings settings;
    settings.index = "security";
    settings.sourcetype = "vigil:k8s";
    CHECK(event_of(alert, settings) ==
          R"({"time":1700000000.000,"host":"node-1","source":"vigil","sourcetype":"vigil:k8s","index":"security",)"
          R"("event":{"rule":"injection.ptrace_attach","k8s":{"node":"node-1"}},)"
          R"("fields":{"rule":"injection.ptrace_attach","severity":"critical",)"
          R"("mitre_tactic":["TA0005","TA0004"],"mitre_technique":["T1055.008"],)"
          R"("container_id":")" +
              std::string(64, 'a') + R"(","pod_uid":"0f3c2a4e-1111-2222-3333-444455556666"}})");
}

TEST_CASE("no tactics or techniques: those fields are left out rather than empty; no node: no host")
{
    auto alert = sample_alert();
    alert.tactics.clear();
    alert.techniques.clear();
    alert.node.clear();
    alert.severity = VIGIL_SEVERITY_INFO;
    CHECK(event_of(alert) == R"({"time":1700000000.123,"source":"vigil","sourcetype":"vigil:alert",)"
                             R"("event":{"rule":"injection.ptrace_attach","k8s":{"node":"node-1"}},)"
                             R"("fields":{"rule":"injection.ptrace_attach","severity":"info"}})");
}

TEST_CASE("strings are escaped and invalid UTF-8 is replaced")
{
    auto alert = sample_alert();
    alert.node = "node \"a\"\\\n\x01";
    alert.rule = "x.\xff\xfey";
    auto event = event_of(alert);
    CHECK(event.find(R"("host":"node \"a\"\\\n\u0001")") != std::string::npos);
    CHECK(event.find("\"rule\":\"x.\xEF\xBF\xBD\xEF\xBF\xBDy\"") != std::string::npos);
}

TEST_CASE("a batch is events concatenated with no array and no commas between them")
{
    auto first = sample_alert();
    auto second = sample_alert();
    second.rule = "escape.core_pattern_write";
    auto a = first.view(), b = second.view();
    std::vector<const vigil_alert *> alerts{&a, &b};
    std::string out;
    CHECK(append_batch(out, alerts, {}) == 2);
    CHECK(out == event_of(first) + "\n" + event_of(second));
    CHECK(out.front() == '{');
    CHECK(out.find("}\n{") != std::string::npos);
    CHECK(out.find("},{") == std::string::npos);
}

TEST_CASE("a batch stops before the event that would take it over max_batch_bytes")
{
    auto alert = sample_alert();
    auto view = alert.view();
    const auto one = event_of(alert).size();
    std::vector<const vigil_alert *> alerts(10, &view);
    EventSettings settings;
    settings.max_batch_bytes = 3 * one + 2; // three events and the two newlines between them
    std::string out;
    CHECK(append_batch(out, alerts, settings) == 3);
    CHECK(out.size() == 3 * one + 2);
    settings.max_batch_bytes = 3 * one + 1;
    out.clear();
    CHECK(append_batch(out, alerts, settings) == 2);
    CHECK(out.size() == 2 * one + 1);
}

TEST_CASE("an alert bigger than the limit on its own is still sent, alone")
{
    auto big = sample_alert();
    big.json = R"({"evidence":")" + std::string(5000, 'x') + R"("})";
    auto small = sample_alert();
    auto a = big.view(), b = small.view();
    std::vector<const vigil_alert *> alerts{&a, &b};
    EventSettings settings;
    settings.max_batch_bytes = 1024;
    std::string out;
    CHECK(append_batch(out, alerts, settings) == 1);
    CHECK(out == event_of(big));
}
