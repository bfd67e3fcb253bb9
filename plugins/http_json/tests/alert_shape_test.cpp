// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "alert_shape.hpp"
#include "flat_json.hpp"

using namespace vigil_http_json;

namespace {

struct TestAlert {
    std::string json =
        R"J({"time":"2023-11-14T22:13:20.123456789Z","rule":"injection.ptrace_attach","plugin":"injection",)J"
        R"J("severity":"high","summary":"ptrace attach by /usr/bin/gdb",)J"
        R"J("mitre":{"tactics":[{"id":"TA0005","name":"Defense Evasion"}],"techniques":[]},)J"
        R"J("process":{"pid":4242,"tid":4243,"exe":"/usr/bin/gdb","cmdline":"gdb -p 1","uid":0,"gid":0,)J"
        R"J("ancestry":[{"pid":1,"exe":"/sbin/init","cmdline":"init"}]},)J"
        R"J("container":{"id":"c0ffee","runtime":"containerd"},)J"
        R"J("k8s":{"namespace":"shop","pod":"cart-\"7d9","pod_uid":"0d6f-uid","node":"node-1",)J"
        R"J("workload":{"kind":"Deployment","name":"cart"},"service_account":"default"},)J"
        R"J("evidence":{"target_pid":1,"request":"PTRACE_ATTACH","flags":["a","b"],"allowed":false}})J";
    std::string summary = "ptrace attach by /usr/bin/gdb";
    std::string container = "c0ffee";
    bool in_container = true;
    uint32_t severity = VIGIL_SEVERITY_HIGH;
    uint64_t repeat_count = 0;
    vigil_attack_ref tactics[2] = {{sizeof(vigil_attack_ref), "TA0005", "Defense Evasion"},
                                   {sizeof(vigil_attack_ref), "TA0004", "Privilege Escalation"}};
    vigil_attack_ref techniques[1] = {{sizeof(vigil_attack_ref), "T1055.008", "Ptrace System Calls"}};

    vigil_alert view() const
    {
        vigil_alert alert{};
        alert.struct_size = sizeof(alert);
        alert.json = json.c_str();
        alert.json_size = json.size();
        alert.rule = "injection.ptrace_attach";
        alert.plugin = "injection";
        alert.summary = summary.c_str();
        alert.severity = severity;
        alert.time_unix_ns = 1700000000123456789ULL;
        alert.tactics = tactics;
        alert.tactic_count = 2;
        alert.techniques = techniques;
        alert.technique_count = 1;
        alert.pid = 4242;
        alert.exe = "/usr/bin/gdb";
        alert.container_id = in_container ? container.c_str() : nullptr;
        alert.pod_uid = in_container ? "0d6f-uid" : nullptr;
        alert.node = "node-1";
        alert.repeat_count = repeat_count;
        return alert;
    }
};

std::string shaped(const TestAlert &test, ShapeSettings settings = {})
{
    std::string out;
    auto alert = test.view();
    append_alert(out, alert, settings);
    return out;
}

} // namespace

TEST_CASE("an alert in the common JSON alert shape, field by field")
{
    CHECK(shaped(TestAlert{}) ==
          R"J({"time":"2023-11-14T22:13:20.123456789Z","rule":"injection.ptrace_attach","priority":"Error",)J"
          R"J("source":"vigil","hostname":"node-1",)J"
          R"J("output":"ptrace attach by /usr/bin/gdb (rule=injection.ptrace_attach severity=high proc.pid=4242 )J"
          R"J(proc.exe=/usr/bin/gdb container.id=c0ffee k8s.ns.name=shop k8s.pod.name=cart-\"7d9)",)J"
          R"J("tags":["TA0005","TA0004","T1055.008","injection"],)J"
          R"J("output_fields":{"evt.time":1700000000123456789,"container.id":"c0ffee","k8s.pod.uid":"0d6f-uid",)J"
          R"J("proc.pid":4242,"proc.exe":"/usr/bin/gdb","thread.tid":4243,"proc.cmdline":"gdb -p 1",)J"
          R"J("user.uid":0,"group.gid":0,"container.runtime":"containerd","k8s.ns.name":"shop",)J"
          R"J("k8s.pod.name":"cart-\"7d9","k8s.workload.kind":"Deployment","k8s.workload.name":"cart",)J"
          R"J("k8s.sa.name":"default","vigil.rule":"injection.ptrace_attach","vigil.plugin":"injection",)J"
          R"J("vigil.severity":"high","evidence.target_pid":1,"evidence.request":"PTRACE_ATTACH",)J"
          R"J("evidence.flags":["a","b"],"evidence.allowed":false}})J");
}

TEST_CASE("severities map to the shape's priorities")
{
    CHECK(priority_name(VIGIL_SEVERITY_CRITICAL) == "Critical");
    CHECK(priority_name(VIGIL_SEVERITY_HIGH) == "Error");
    CHECK(priority_name(VIGIL_SEVERITY_MEDIUM) == "Warning");
    CHECK(priority_name(VIGIL_SEVERITY_LOW) == "Notice");
    CHECK(priority_name(VIGIL_SEVERITY_INFO) == "Informational");
}

TEST_CASE("a host process is container.id \"host\" with no pod; source is configurable; repeats are counted")
{
    TestAlert test;
    test.in_container = false;
    test.repeat_count = 7;
    test.json = R"J({"rule":"x","k8s":{"node":"node-1"},"evidence":{}})J";
    ShapeSettings settings;
    settings.source = "node-sensors";
    auto out = shaped(test, settings);
    CHECK(out.find(R"J("source":"node-sensors")J") != std::string::npos);
    CHECK(out.find(R"J("container.id":"host")J") != std::string::npos);
    CHECK(out.find("k8s.pod.uid") == std::string::npos);
    CHECK(out.find(R"J("vigil.repeat_count":7)J") != std::string::npos);
    CHECK(out.find("container.id=host repeats=7)") != std::string::npos);
}

TEST_CASE("strings are escaped and made valid UTF-8; a broken alert JSON still gives a complete alert")
{
    TestAlert test;
    test.summary = "tab\there \"quoted\" \x01 caf\xC3\xA9 \xFF";
    test.json = "not json";
    auto out = shaped(test);
    CHECK(out.find(R"J("output":"tab\there \"quoted\" \u0001 caf)J"
                   "\xC3\xA9 \xEF\xBF\xBD (rule=") != std::string::npos);
    CHECK(flatten_object(out).has_value()); // still one JSON object
    CHECK(out.ends_with(R"J("vigil.severity":"high"}})J"));
}

TEST_CASE("time has nine fraction digits, in UTC")
{
    std::string out;
    append_rfc3339_ns(out, 5);
    CHECK(out == "1970-01-01T00:00:00.000000005Z");
}
