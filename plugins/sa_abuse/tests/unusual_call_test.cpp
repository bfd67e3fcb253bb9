// SPDX-License-Identifier: Apache-2.0
// sa_abuse.unusual_call
#include "test_support.hpp"

using namespace sa_abuse_test;

namespace {

void controller_pattern(Sensor &sensor, const std::string &ns, const std::string &name)
{
    sensor.send(by_account(ns, name, "list", "pods", ""));
    sensor.send(by_account(ns, name, "watch", "pods", ""));
    sensor.send(by_account(ns, name, "update", "leases", ns));
}

} // namespace

TEST_CASE("unusual_call: a frontend listing secrets in another namespace after warm-up")
{
    Sensor sensor;
    sensor.host.set_option("warmup_s", int64_t{60});
    sensor.start();
    sensor.send(by_account("shop", "frontend", "get", "configmaps", "shop"));
    sensor.advance(30);
    sensor.send(by_account("shop", "frontend", "get", "services", "shop"));
    sensor.advance(31);
    sensor.send(by_account("shop", "frontend", "get", "configmaps", "shop"));
    CHECK(sensor.alerts().empty());
    sensor.send(by_account("shop", "frontend", "list", "secrets", "billing"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.unusual_call");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM); // secrets elsewhere: also discovery
    CHECK(alert.tactics == strings({"TA0004", "TA0007"}));
    CHECK(alert.techniques == strings({"T1078.001", "T1613"}));
    CHECK(alert.evidence.at("call") == "list secrets -n billing");
    sensor.send(by_account("shop", "frontend", "list", "secrets", "billing")); // once per call
    CHECK(sensor.alerts().size() == 1);
    sensor.send(by_account("shop", "frontend", "delete", "deployments", "shop"));
    REQUIRE(sensor.alerts().size() == 2);
    CHECK(sensor.alerts()[1].severity == VIGIL_SEVERITY_LOW);
    CHECK(sensor.alerts()[1].techniques == strings({"T1078.001"}));
}

TEST_CASE("unusual_call: a controller's list/watch pattern stays quiet, and warm-up is per account")
{
    Sensor sensor;
    sensor.host.set_option("warmup_s", int64_t{60});
    sensor.start();
    controller_pattern(sensor, "operators", "db-operator");
    for (int minute = 0; minute < 10; ++minute) {
        sensor.advance(60);
        controller_pattern(sensor, "operators", "db-operator");
    }
    // A new account, long after the first: its own warm-up.
    sensor.send(by_account("shop", "batch", "create", "jobs", "shop"));
    sensor.advance(59);
    sensor.send(by_account("shop", "batch", "delete", "jobs", "shop"));
    // kube-system is allow-listed by default.
    sensor.send(by_account("kube-system", "coredns", "list", "secrets", "shop"));
    CHECK(sensor.alerts().empty());
}
