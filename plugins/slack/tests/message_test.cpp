// SPDX-License-Identifier: Apache-2.0
// The exact message the output posts, its escaping, and Slack's limits.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <vigil/json_text.hpp>

#include "slack_message.hpp"

using namespace vigil_slack;

namespace {

struct TestAlert {
    std::string json =
        R"({"time":"2026-11-21T17:00:00.123456789Z","rule":"discovery.service_scan",)"
        R"("process":{"pid":4242,"exe":"/usr/bin/nmap","cmdline":"nmap -sT 10.0.0.0/24"},)"
        R"("container":{"id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","runtime":"containerd"},)"
        R"("k8s":{"namespace":"shop","pod":"web-7d9f","pod_uid":"u-1","node":"node-1"}})";
    std::string rule = "discovery.service_scan";
    std::string summary = "nmap scanned 254 addresses in the pod network";
    std::string exe = "/usr/bin/nmap";
    std::string node = "node-1";
    std::string container_id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    uint32_t severity = VIGIL_SEVERITY_MEDIUM;
    uint64_t repeat_count = 0;
    std::vector<vigil_attack_ref> tactics{{sizeof(vigil_attack_ref), "TA0007", "Discovery"}};
    std::vector<vigil_attack_ref> techniques{{sizeof(vigil_attack_ref), "T1046", "Network Service Discovery"}};

    vigil_alert view() const
    {
        vigil_alert alert{};
        alert.struct_size = sizeof(alert);
        alert.json = json.c_str();
        alert.json_size = json.size();
        alert.rule = rule.c_str();
        alert.plugin = "discovery";
        alert.summary = summary.c_str();
        alert.severity = severity;
        alert.time_unix_ns = 1;
        alert.tactics = tactics.data();
        alert.tactic_count = static_cast<uint32_t>(tactics.size());
        alert.techniques = techniques.data();
        alert.technique_count = static_cast<uint32_t>(techniques.size());
        alert.pid = 4242;
        alert.exe = exe.c_str();
        alert.container_id = container_id.empty() ? nullptr : container_id.c_str();
        alert.node = node.c_str();
        alert.repeat_count = repeat_count;
        return alert;
    }
};

std::string message_of(const TestAlert &alert)
{
    std::string out;
    auto view = alert.view();
    append_message(out, view);
    return out;
}

// The decoded JSON strings that follow each @marker in @json.
std::vector<std::string> strings_after(const std::string &json, const std::string &marker)
{
    std::vector<std::string> found;
    for (auto at = json.find(marker); at != std::string::npos; at = json.find(marker, at + 1)) {
        vigil::json::detail::Reader reader(std::string_view(json).substr(at + marker.size()));
        auto text = reader.string();
        REQUIRE(text.has_value());
        found.push_back(*text);
    }
    return found;
}

std::string string_after(const std::string &json, const std::string &marker)
{
    auto found = strings_after(json, marker);
    REQUIRE(!found.empty());
    return found.front();
}

// The decoded mrkdwn text that starts with @start.
std::string text_starting(const std::string &json, const std::string &start)
{
    for (const auto &text : strings_after(json, R"("type":"mrkdwn","text":)")) {
        if (text.starts_with(start)) {
            return text;
        }
    }
    FAIL("no mrkdwn text starts with " << start);
    return {};
}

std::size_t count(const std::string &text, const std::string &needle)
{
    std::size_t found = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++found;
    }
    return found;
}

std::string mrkdwn(std::string_view text, std::size_t limit)
{
    std::string out;
    append_mrkdwn(out, text, limit);
    return out;
}

} // namespace

TEST_CASE("a pod's alert: fallback text, header, summary, the facts as fields, command line, context")
{
    CHECK(
        message_of(TestAlert{}) ==
        R"({"text":"[MEDIUM] discovery.service_scan on node-1 (pod shop/web-7d9f): nmap scanned 254 addresses in the pod network",)"
        R"("blocks":[)"
        R"({"type":"header","text":{"type":"plain_text","text":":large_orange_circle: MEDIUM: discovery.service_scan","emoji":true}},)"
        R"({"type":"section","text":{"type":"mrkdwn","text":"nmap scanned 254 addresses in the pod network"}},)"
        R"({"type":"section","fields":[)"
        R"({"type":"mrkdwn","text":"*Severity*\nMEDIUM"},)"
        R"({"type":"mrkdwn","text":"*Rule*\ndiscovery.service_scan"},)"
        R"({"type":"mrkdwn","text":"*Node*\nnode-1"},)"
        R"({"type":"mrkdwn","text":"*Namespace*\nshop"},)"
        R"({"type":"mrkdwn","text":"*Pod*\nweb-7d9f"},)"
        R"j({"type":"mrkdwn","text":"*Container*\n0123456789ab (containerd)"},)j"
        R"j({"type":"mrkdwn","text":"*Process*\n/usr/bin/nmap (pid 4242)"},)j"
        R"({"type":"mrkdwn","text":"*Tactics*\nTA0007 Discovery"},)"
        R"({"type":"mrkdwn","text":"*Techniques*\nT1046 Network Service Discovery"}]},)"
        R"({"type":"section","text":{"type":"mrkdwn","text":"*Command line*\n```nmap -sT 10.0.0.0/24```"}},)"
        "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"vigil \xC2\xB7 "
        "2026-11-21T17:00:00.123456789Z\"}]}]}");
}

TEST_CASE("a host process's alert: no namespace or pod, no container, the repeats in the context")
{
    TestAlert alert;
    alert.json = R"({"time":"2026-11-21T17:00:00Z","process":{"pid":1,"exe":"/bin/x"},"k8s":{"node":"node-1"}})";
    alert.container_id.clear();
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.repeat_count = 3;
    alert.tactics.push_back({sizeof(vigil_attack_ref), "TA0002", "Execution"});
    auto message = message_of(alert);
    CHECK(string_after(message, R"({"text":)") ==
          "[HIGH] discovery.service_scan on node-1: nmap scanned 254 addresses in the pod network");
    CHECK(message.find("*Namespace*") == std::string::npos);
    CHECK(message.find("*Pod*") == std::string::npos);
    CHECK(message.find(R"j("*Container*\nnone (host process)")j") != std::string::npos);
    CHECK(message.find(R"("*Tactics*\nTA0007 Discovery\nTA0002 Execution")") != std::string::npos);
    CHECK(message.find("*Command line*") == std::string::npos);
    CHECK(message.find(":red_circle: HIGH: discovery.service_scan") != std::string::npos);
    CHECK(string_after(message, R"("context","elements":[{"type":"mrkdwn","text":)") ==
          "vigil \xC2\xB7 2026-11-21T17:00:00Z \xC2\xB7 repeated 3 more times");
}

TEST_CASE("mrkdwn's control characters are escaped, and so is JSON's")
{
    TestAlert alert;
    alert.summary = "wrote <script> & \"quoted\" \\ text\n";
    alert.json = R"({"process":{"cmdline":"sh -c `id` > /tmp/x"}})";
    auto message = message_of(alert);
    CHECK(string_after(message, R"({"type":"section","text":{"type":"mrkdwn","text":)") ==
          "wrote &lt;script&gt; &amp; \"quoted\" \\ text\n");
    // A backquote would end the code block early.
    CHECK(text_starting(message, "*Command line*") == "*Command line*\n```sh -c 'id' &gt; /tmp/x```");
}

TEST_CASE("cutting for a limit keeps escapes and characters whole and says so with an ellipsis")
{
    CHECK(mrkdwn("abc", 3) == "\"abc\"");
    CHECK(mrkdwn("abcd", 3) == "\"\xE2\x80\xA6\"");
    CHECK(mrkdwn("abcdefgh", 6) == "\"abc\xE2\x80\xA6\"");
    CHECK(mrkdwn("&&&&", 12) == "\"&amp;\xE2\x80\xA6\"");
    CHECK(mrkdwn("&&", 10) == "\"&amp;&amp;\"");
    CHECK(mrkdwn("\xC3\xA9\xC3\xA9\xC3\xA9", 6) == "\"\xC3\xA9\xC3\xA9\xC3\xA9\"");
    CHECK(mrkdwn("\xC3\xA9\xC3\xA9\xC3\xA9x", 6) == "\"\xC3\xA9\xE2\x80\xA6\"");
    std::string out;
    append_plain(out, "abcdef", 5);
    CHECK(out == "\"ab\xE2\x80\xA6\"");
}

TEST_CASE("huge alerts stay within Slack's limits: section text, fields, header, fallback")
{
    TestAlert alert;
    alert.summary = std::string(10000, '<');
    alert.rule = "rule." + std::string(500, 'r');
    alert.exe = "/" + std::string(5000, 'e');
    alert.json = R"({"process":{"cmdline":")" + std::string(10000, 'c') + R"("}})";
    auto message = message_of(alert);
    auto fallback = string_after(message, R"({"text":)");
    CHECK(fallback.size() <= max_fallback_text);
    auto header = string_after(message, R"("plain_text","text":)");
    CHECK(header.size() <= max_header_text);
    auto summary = string_after(message, R"({"type":"section","text":{"type":"mrkdwn","text":)");
    CHECK(summary.size() <= max_section_text);
    CHECK(summary.ends_with("&lt;\xE2\x80\xA6"));
    auto process = text_starting(message, "*Process*");
    CHECK(process.size() <= max_field_text);
    CHECK(process.size() > max_field_text - 10);
    auto rule = text_starting(message, "*Rule*");
    CHECK(rule.size() <= max_field_text);
    auto command = text_starting(message, "*Command line*");
    CHECK(command.size() <= max_section_text);
    CHECK(command.size() > max_section_text - 10);
    CHECK(command.ends_with("\xE2\x80\xA6```"));
    CHECK(count(message, R"({"type":)") - count(message, R"({"type":"mrkdwn")") -
              count(message, R"({"type":"plain_text")") <=
          max_blocks);
    CHECK(count(message, R"({"type":"mrkdwn","text":"*)") <= max_fields + 1); // the fields, and the command line
}

TEST_CASE("bytes that are not UTF-8 become U+FFFD rather than an invalid payload")
{
    TestAlert alert;
    alert.summary = "bad \xff byte";
    auto message = message_of(alert);
    CHECK(message.find("bad \xEF\xBF\xBD byte") != std::string::npos);
}
