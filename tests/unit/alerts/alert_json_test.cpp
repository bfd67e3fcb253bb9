// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/alert.hpp"

using namespace vigil::alerts;

namespace {

constexpr uint64_t alert_time = 1795280400ULL * 1'000'000'000 + 123456789; // 2026-11-21T17:00:00.123456789Z
const std::string container_id = "3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

Alert container_alert()
{
    Alert alert;
    alert.time_unix_ns = alert_time;
    alert.rule = "injection.ptrace_attach";
    alert.plugin = "injection";
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "ptrace attach to \"nginx\"";
    alert.tactics = {{"TA0005", "Defense Evasion"}, {"TA0004", "Privilege Escalation"}};
    alert.techniques = {{"T1055.008", "Process Injection: Ptrace System Calls"}};
    alert.process = ProcessContext{1234, 1235, 0, 0, "/injector", "/injector --pid 1", {{1, "/pause", "/pause"}}};
    alert.container = ContainerContext{container_id, "containerd"};
    alert.k8s.pod_uid = "5d1c9e2a-7b1f-4c8e-9a3d-2f6b8c0e4a11";
    alert.k8s.node = "node-1";
    alert.k8s.source = "cgroup";
    alert.evidence = {
        {"target_pid", uint64_t{1}},   {"request", std::string("PTRACE_ATTACH")},      {"offset", int64_t{-8}},
        {"target_in_container", true}, {"argv", std::vector<std::string>{"a", "b\n"}},
    };
    alert.dedup_key = "not rendered";
    return alert;
}

} // namespace

TEST_CASE("alerts: JSON of a container alert")
{
    CHECK(
        to_json(container_alert()) ==
        R"({"time":"2026-11-21T17:00:00.123456789Z","rule":"injection.ptrace_attach","plugin":"injection",)"
        R"("severity":"high","summary":"ptrace attach to \"nginx\"",)"
        R"("mitre":{"tactics":[{"id":"TA0005","name":"Defense Evasion"},{"id":"TA0004","name":"Privilege Escalation"}],)"
        R"("techniques":[{"id":"T1055.008","name":"Process Injection: Ptrace System Calls"}]},)"
        R"("process":{"pid":1234,"tid":1235,"exe":"/injector","cmdline":"/injector --pid 1","uid":0,"gid":0,)"
        R"("ancestry":[{"pid":1,"exe":"/pause","cmdline":"/pause"}]},)"
        R"("container":{"id":"3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8","runtime":"containerd"},)"
        R"("k8s":{"pod_uid":"5d1c9e2a-7b1f-4c8e-9a3d-2f6b8c0e4a11","node":"node-1","source":"cgroup"},)"
        R"("evidence":{"target_pid":1,"request":"PTRACE_ATTACH","offset":-8,"target_in_container":true,"argv":["a","b\n"]}})");
}

TEST_CASE("alerts: JSON of a host alert, a fully known pod and a repeat summary")
{
    Alert host;
    host.time_unix_ns = alert_time;
    host.rule = "persistence.module_load";
    host.plugin = "persistence";
    host.severity = VIGIL_SEVERITY_CRITICAL;
    host.summary = "kernel module loaded";
    host.process = ProcessContext{77, 77, 0, 0, "/usr/sbin/insmod", "insmod x.ko", {}};
    host.k8s.node = "node-1";
    host.repeat = Repeat{3, alert_time, alert_time + 2'000'000'000};
    CHECK(
        to_json(host) ==
        R"({"time":"2026-11-21T17:00:00.123456789Z","rule":"persistence.module_load","plugin":"persistence",)"
        R"("severity":"critical","summary":"kernel module loaded","mitre":{"tactics":[],"techniques":[]},)"
        R"("process":{"pid":77,"tid":77,"exe":"/usr/sbin/insmod","cmdline":"insmod x.ko","uid":0,"gid":0,"ancestry":[]},)"
        R"("k8s":{"node":"node-1"},"evidence":{},)"
        R"("repeat":{"count":3,"first":"2026-11-21T17:00:00.123456789Z","last":"2026-11-21T17:00:02.123456789Z"}})");

    Alert pod = container_alert();
    pod.process.reset();
    pod.evidence.clear();
    pod.tactics.clear();
    pod.techniques.clear();
    pod.k8s = KubernetesContext{};
    pod.k8s.namespace_name = "shop";
    pod.k8s.pod = "web-0";
    pod.k8s.pod_uid = "uid-1";
    pod.k8s.node = "node-1";
    pod.k8s.workload_kind = "StatefulSet";
    pod.k8s.workload_name = "web";
    pod.k8s.service_account = "default";
    pod.k8s.source = "api-server";
    CHECK(
        to_json(pod) ==
        R"({"time":"2026-11-21T17:00:00.123456789Z","rule":"injection.ptrace_attach","plugin":"injection",)"
        R"("severity":"high","summary":"ptrace attach to \"nginx\"","mitre":{"tactics":[],"techniques":[]},)"
        R"("container":{"id":"3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8","runtime":"containerd"},)"
        R"("k8s":{"namespace":"shop","pod":"web-0","pod_uid":"uid-1","node":"node-1",)"
        R"("workload":{"kind":"StatefulSet","name":"web"},"service_account":"default","source":"api-server"},)"
        R"("evidence":{}})");
}

TEST_CASE("alerts: severity names")
{
    CHECK(severity_name(VIGIL_SEVERITY_INFO) == "info");
    CHECK(severity_name(VIGIL_SEVERITY_LOW) == "low");
    CHECK(severity_name(VIGIL_SEVERITY_MEDIUM) == "medium");
    CHECK(severity_name(VIGIL_SEVERITY_HIGH) == "high");
    CHECK(severity_name(VIGIL_SEVERITY_CRITICAL) == "critical");
    uint32_t from_a_newer_plugin = 9; // a value the enum does not have, as the ABI can carry
    CHECK(severity_name(static_cast<vigil_severity>(from_a_newer_plugin)) == "unknown");
}
