// SPDX-License-Identifier: Apache-2.0
// sa_abuse.rbac_change
#include "test_support.hpp"

using namespace sa_abuse_test;

namespace {

FakeAuditEvent rbac(const std::string &ns, const std::string &name, const std::string &verb,
                    const std::string &resource, const std::string &object_namespace = "")
{
    auto audit = by_account(ns, name, verb, resource, object_namespace);
    audit.api_group = "rbac.authorization.k8s.io";
    audit.object_name = "escalate";
    return audit;
}

} // namespace

TEST_CASE("rbac_change: a service account binding a role is high")
{
    Sensor sensor;
    sensor.start();
    sensor.send(rbac("shop", "web", "create", "rolebindings", "shop"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.rbac_change");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0003", "TA0004"}));
    CHECK(alert.techniques == strings({"T1098.006"}));
    CHECK(alert.evidence.at("service_account") == "shop:web");
    CHECK(alert.evidence.at("grants_cluster_admin") == "false");
}

TEST_CASE("rbac_change: a clusterrolebinding to cluster-admin in the request body is critical")
{
    Sensor sensor;
    sensor.start();
    auto audit = rbac("shop", "web", "create", "clusterrolebindings");
    audit.level = "Request";
    audit.raw_json = R"({"kind":"Event","requestObject":{"kind":"ClusterRoleBinding","roleRef":)"
                     R"({"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"}}})";
    sensor.send(audit);
    CHECK(sensor.only_alert().severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(sensor.only_alert().evidence.at("grants_cluster_admin") == "true");
}

TEST_CASE("rbac_change: reads, people, kube-system controllers and other groups stay quiet")
{
    Sensor sensor;
    sensor.start();
    sensor.send(rbac("shop", "web", "get", "roles", "shop"));
    sensor.send(rbac("shop", "web", "list", "clusterrolebindings"));
    sensor.send(rbac("kube-system", "clusterrole-aggregation-controller", "update", "clusterroles"));
    auto person = rbac("shop", "web", "patch", "roles", "shop");
    person.username = "alice";
    person.service_account_namespace = "";
    person.service_account_name = "";
    sensor.send(person);
    auto other_group = rbac("shop", "web", "create", "roles", "shop");
    other_group.api_group = "example.com";
    sensor.send(other_group);
    CHECK(sensor.alerts().empty());
}
