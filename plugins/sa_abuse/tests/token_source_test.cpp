// SPDX-License-Identifier: Apache-2.0
// sa_abuse.token_foreign_source
#include "test_support.hpp"

using namespace sa_abuse_test;

TEST_CASE("token_foreign_source: a pod's token used from another address after the first calls")
{
    Sensor sensor;
    sensor.start();
    for (int index = 0; index < 5; ++index) {
        sensor.send(by_account("shop", "web", "get", "configmaps", "shop", "10.244.1.7"));
    }
    CHECK(sensor.alerts().empty());
    sensor.send(by_account("shop", "web", "get", "configmaps", "shop", "203.0.113.9"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.token_foreign_source");
    CHECK(alert.techniques == strings({"T1528", "T1550.001"}));
    CHECK(alert.tactics == strings({"TA0006"}));
    CHECK(alert.evidence.at("foreign_address") == "203.0.113.9");
    CHECK(alert.evidence_lists.at("learned_addresses") == strings({"10.244.1.7"}));
    CHECK(alert.evidence.at("token_pod_uid") == "uid-web-1");
    sensor.send(by_account("shop", "web", "get", "configmaps", "shop", "203.0.113.9")); // reported once
    CHECK(sensor.alerts().size() == 1);
}

TEST_CASE("token_foreign_source: the connection's address counts, not X-Forwarded-For; other pods are their own")
{
    Sensor sensor;
    sensor.start();
    for (int index = 0; index < 3; ++index) {
        sensor.send(by_account("shop", "web", "get", "configmaps", "shop", "10.244.1.7"));
    }
    auto forwarded = by_account("shop", "web", "get", "configmaps", "shop");
    forwarded.source_ips = {"198.51.100.1", "10.244.1.7"}; // a header the client chose, then the connection
    sensor.send(forwarded);
    // Another pod of the same account: learned on its own.
    sensor.send(by_account("shop", "web", "get", "configmaps", "shop", "10.244.2.9", "web-2", "uid-web-2"));
    // Tokens without pod claims, and kube-system, are not judged.
    auto legacy = by_account("shop", "legacy", "get", "configmaps", "shop", "203.0.113.9", "", "");
    sensor.send(legacy);
    for (int index = 0; index < 5; ++index) {
        sensor.send(by_account("kube-system", "kube-proxy", "list", "services", "",
                               "192.168.1." + std::to_string(index), "kube-proxy-x", "uid-kp"));
    }
    CHECK(sensor.alerts().empty());
}
