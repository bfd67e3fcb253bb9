// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <vigil/testing/sample_alert.hpp>

#include "facility.hpp"
#include "rfc5424.hpp"

using namespace vigil_syslog;
using vigil::testing::SampleAlert;

namespace {

const std::string bom = "\xEF\xBB\xBF";

// The alert these messages are written for.
SampleAlert sample_alert()
{
    SampleAlert alert;
    alert.json = R"({"rule":"injection.ptrace_attach","severity":"high"})";
    alert.summary = "ptrace attach by /usr/bin/gdb";
    alert.pod_uid = "0d6f5c1e-2b7a-4a8e-9d3c-1f2e3d4c5b6a";
    alert.pid = 4242;
    alert.time_unix_ns = 1700000000123456789ULL; // 2023-11-14T22:13:20.123456789Z
    return alert;
}

std::string message(const SampleAlert &test, MessageSettings settings = {})
{
    if (settings.procid == "-") {
        settings.procid = "77";
    }
    std::string out;
    auto alert = test.view();
    append_message(out, alert, settings);
    return out;
}

} // namespace

TEST_CASE("an alert becomes one RFC 5424 message with vigil's element")
{
    auto alert = sample_alert();
    CHECK(message(alert) == "<131>1 2023-11-14T22:13:20.123456Z node-1 vigil 77 injection.ptrace_attach "
                            "[vigil@32473 rule=\"injection.ptrace_attach\" severity=\"high\" tactic=\"TA0005,TA0004\" "
                            "technique=\"T1055.008\" container=\"c0ffee\" pod=\"0d6f5c1e-2b7a-4a8e-9d3c-1f2e3d4c5b6a\" "
                            "pid=\"4242\" exe=\"/usr/bin/gdb\"] " +
                                bom + "ptrace attach by /usr/bin/gdb");
}

TEST_CASE("a host process has no container or pod parameter; a dedup summary has its repeat count")
{
    auto alert = sample_alert();
    alert.in_container = false;
    alert.with_pod = false;
    alert.repeat_count = 12;
    auto text = message(alert);
    CHECK(text.find("container=") == std::string::npos);
    CHECK(text.find("pod=") == std::string::npos);
    CHECK(text.find(" repeat=\"12\"]") != std::string::npos);
}

TEST_CASE("severities map to syslog severities and the PRI carries the facility")
{
    CHECK(syslog_severity(VIGIL_SEVERITY_CRITICAL) == 2);
    CHECK(syslog_severity(VIGIL_SEVERITY_HIGH) == 3);
    CHECK(syslog_severity(VIGIL_SEVERITY_MEDIUM) == 4);
    CHECK(syslog_severity(VIGIL_SEVERITY_LOW) == 5);
    CHECK(syslog_severity(VIGIL_SEVERITY_INFO) == 6);
    auto alert = sample_alert();
    alert.severity = VIGIL_SEVERITY_CRITICAL;
    MessageSettings auth;
    auth.facility = *parse_facility("auth");
    CHECK(message(alert, auth).starts_with("<34>1 ")); // 4 * 8 + 2
    alert.severity = VIGIL_SEVERITY_INFO;
    CHECK(message(alert).starts_with("<134>1 ")); // local0: 16 * 8 + 6
}

TEST_CASE("facilities by name or number")
{
    CHECK(parse_facility("local0") == 16);
    CHECK(parse_facility("local7") == 23);
    CHECK(parse_facility("authpriv") == 10);
    CHECK(parse_facility("13") == 13);
    CHECK_FALSE(parse_facility("24"));
    CHECK_FALSE(parse_facility("LOCAL0"));
    CHECK_FALSE(parse_facility(""));
}

TEST_CASE("timestamps are UTC with six fraction digits")
{
    std::string out;
    append_timestamp(out, 0);
    CHECK(out == "1970-01-01T00:00:00.000000Z");
    out.clear();
    append_timestamp(out, 1700000000999999999ULL);
    CHECK(out == "2023-11-14T22:13:20.999999Z");
}

TEST_CASE("MSGID is the rule id cut to 32 printable ASCII characters; an empty HOSTNAME is the NILVALUE")
{
    auto alert = sample_alert();
    alert.rule = "lateral_movement.token_then_api_connect";
    alert.node = "";
    auto text = message(alert);
    CHECK(text.find(" - vigil 77 lateral_movement.token_then_api_ [") != std::string::npos);
    CHECK(header_field("a b\x01\xC3\xA9", 32) == "a_b___");
    CHECK(header_field("", 32) == "-");
}

TEST_CASE("parameter values escape '\"', '\\' and ']' and replace invalid UTF-8")
{
    std::string out;
    append_param_value(out, "a\"b\\c]d");
    CHECK(out == "a\\\"b\\\\c\\]d");
    out.clear();
    append_param_value(out, "caf\xC3\xA9 \xFF!");
    CHECK(out == "caf\xC3\xA9 \xEF\xBF\xBD!");
    auto alert = sample_alert();
    alert.exe = "/tmp/x]\"y";
    CHECK(message(alert).find(" exe=\"/tmp/x\\]\\\"y\"]") != std::string::npos);
}

TEST_CASE("the MSG is valid UTF-8 after the BOM, and can be the alert's JSON")
{
    auto alert = sample_alert();
    alert.summary = "bad \xC0\xAF byte";
    CHECK(message(alert).ends_with(bom + "bad \xEF\xBF\xBD\xEF\xBF\xBD byte"));
    MessageSettings json;
    json.body = MessageBody::json;
    CHECK(message(alert, json).ends_with("] " + bom + alert.json));
}

TEST_CASE("a message over the bound has its MSG cut at a character boundary and says its full size")
{
    auto alert = sample_alert();
    alert.summary = "";
    for (int i = 0; i < 1000; ++i) {
        alert.summary += "\xC3\xA9"; // é, two bytes
    }
    MessageSettings settings;
    settings.max_bytes = 600;
    auto text = message(alert, settings);
    CHECK(text.size() <= 600);
    CHECK(text.size() >= 599); // filled up to the bound, less at most one byte of a split character
    CHECK(text.find(" msg_octets=\"2000\"] " + bom) != std::string::npos);
    auto msg = text.substr(text.find(bom) + bom.size());
    CHECK(msg.size() % 2 == 0);
    CHECK(valid_utf8(msg) == msg);
}

TEST_CASE("an element too big for the bound shrinks to rule and severity; the bound is at least 480")
{
    auto alert = sample_alert();
    alert.exe = "/" + std::string(3000, 'x');
    MessageSettings settings;
    settings.max_bytes = 100; // raised to 480
    auto text = message(alert, settings);
    CHECK(text.size() <= 480);
    CHECK(text.find("[vigil@32473 rule=\"injection.ptrace_attach\" severity=\"high\" msg_octets=\"29\"] " + bom +
                    "ptrace attach") != std::string::npos);
}

TEST_CASE("utf8_prefix never splits a character")
{
    CHECK(utf8_prefix("a\xC3\xA9z", 2) == 1);
    CHECK(utf8_prefix("a\xC3\xA9z", 3) == 3);
    CHECK(utf8_prefix("\xF0\x9F\x98\x80", 3) == 0);
    CHECK(utf8_prefix("abc", 10) == 3);
}
