// SPDX-License-Identifier: Apache-2.0
// sa_abuse.pods_exec, and sa_abuse.pods_exec_process: the request paired with the process it started.
#include <cstring>

#include "test_support.hpp"

using namespace sa_abuse_test;

namespace {

constexpr uint64_t pod_cgroup = 5001;
constexpr uint32_t runc = 900;   // on the host
constexpr uint32_t init = 1000;  // the container's entry point
constexpr uint32_t shell = 1001; // started by the runtime: an exec
constexpr uint32_t child = 1002; // started by the container's own init
const std::string pod_uid = "uid-web-1";

FakeAuditEvent exec_request(const std::string &user = "alice")
{
    FakeAuditEvent audit;
    audit.username = user;
    audit.verb = "create";
    audit.resource = "pods";
    audit.subresource = "exec";
    audit.object_namespace = "shop";
    audit.object_name = "web-1";
    audit.source_ips = {"192.0.2.10"};
    audit.user_agent = "kubectl/v1.29.0";
    audit.request_uri = "/api/v1/namespaces/shop/pods/web-1/exec?command=sh&stdin=true&tty=true";
    return audit;
}

struct Node : Sensor {
    Node()
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = pod_cgroup;
        container.id = std::string(64, 'a');
        container.pod_uid = pod_uid;
        host.add_container(container);
        process(runc, 1, 1, "/usr/sbin/runc");
        process(init, runc, pod_cgroup, "/app/server");
        process(shell, runc, pod_cgroup, "/bin/sh");
        process(child, init, pod_cgroup, "/bin/date");
    }
    void process(uint32_t tgid, uint32_t parent, uint64_t cgroup, const char *exe)
    {
        vigil::testing::FakeProcess entry;
        entry.tgid = tgid;
        entry.parent_tgid = parent;
        entry.cgroup_id = cgroup;
        entry.exe = exe;
        entry.cmdline = exe;
        host.add_process(entry);
    }
    void exec(uint32_t tgid)
    {
        auto record = host.make_record<vigil_process_exec>(VIGIL_KIND_PROCESS_EXEC, tgid);
        REQUIRE(host.deliver(record) == 0);
    }
    // The pod calls the API server with its own token: its name and UID are learned.
    void pod_calls_home()
    {
        send(by_account("shop", "web", "get", "configmaps", "shop", "10.244.1.7", "web-1", pod_uid));
    }
};

} // namespace

TEST_CASE("pods_exec: any user's exec, with the command's request URI as evidence")
{
    Sensor sensor;
    sensor.start();
    sensor.send(exec_request());
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.pods_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.techniques == strings({"T1609"}));
    CHECK(alert.tactics == strings({"TA0002"}));
    CHECK(alert.evidence.at("user") == "alice");
    CHECK(alert.evidence.at("object_namespace") == "shop");
    CHECK(alert.evidence.at("object_name") == "web-1");
    CHECK(alert.evidence.at("request_uri").find("command=sh") != std::string::npos);
    CHECK(alert.evidence.at("source_ips") == "[\"192.0.2.10\"]");
    CHECK(alert.evidence.at("user_agent") == "kubectl/v1.29.0");
}

TEST_CASE("pods_exec: attach counts, logs and ignored users do not")
{
    Sensor sensor;
    sensor.host.set_option("pods_exec_ignore_users", strings({"system:serviceaccount:ci:*"}));
    sensor.start();
    auto logs = exec_request();
    logs.verb = "get";
    logs.subresource = "log";
    sensor.send(logs);
    sensor.send(exec_request("system:serviceaccount:ci:runner"));
    CHECK(sensor.alerts().empty());
    auto attach = exec_request();
    attach.subresource = "attach";
    sensor.send(attach);
    CHECK(sensor.rules() == strings({"sa_abuse.pods_exec"}));
}

TEST_CASE("pods_exec_process: the request, then the shell the runtime started in that pod")
{
    Node node;
    node.start();
    node.pod_calls_home();
    node.send(exec_request());
    node.advance(2);
    node.exec(child); // the container's own doing: not the exec
    CHECK(node.rules() == strings({"sa_abuse.pods_exec"}));
    node.exec(shell);
    REQUIRE(node.alerts().size() == 2);
    const auto &joined = node.alerts()[1];
    CHECK(joined.rule == "sa_abuse.pods_exec_process");
    CHECK(joined.evidence.at("exe") == "/bin/sh");
    CHECK(joined.evidence.at("pid") == "1001");
    CHECK(joined.evidence.at("container_id") == std::string(64, 'a'));
    CHECK(joined.evidence.at("user") == "alice");
    CHECK(joined.evidence.at("pod_uid") == pod_uid);
    node.exec(shell); // paired once
    CHECK(node.alerts().size() == 2);
}

TEST_CASE("pods_exec_process: the shell first, the batched audit event later")
{
    Node node;
    node.start();
    node.pod_calls_home();
    node.exec(shell);
    node.advance(20);
    node.send(exec_request());
    CHECK(node.rules() == strings({"sa_abuse.pods_exec", "sa_abuse.pods_exec_process"}));
}

TEST_CASE("pods_exec_process: nothing outside the window, nothing for a pod whose UID is unknown")
{
    Node node;
    node.start();
    node.send(exec_request()); // web-1 never called home: its UID is unknown
    node.exec(shell);
    CHECK(node.rules() == strings({"sa_abuse.pods_exec"}));
    node.advance(31); // the unpaired shell is forgotten
    node.pod_calls_home();
    node.host.clear_alerts();
    node.send(exec_request());
    node.advance(31);
    node.exec(shell);
    CHECK(node.rules() == strings({"sa_abuse.pods_exec"}));
}
