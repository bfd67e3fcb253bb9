// SPDX-License-Identifier: Apache-2.0
// sa_abuse.access_review_burst and sa_abuse.secret_enumeration
#include "test_support.hpp"

using namespace sa_abuse_test;

namespace {

FakeAuditEvent review(const std::string &ns, const std::string &name)
{
    auto audit = by_account(ns, name, "create", "selfsubjectaccessreviews", "");
    audit.api_group = "authorization.k8s.io";
    return audit;
}

} // namespace

TEST_CASE("access_review_burst: more than the threshold within the window, once per burst")
{
    Sensor sensor;
    sensor.start();
    for (int index = 0; index < 10; ++index) {
        sensor.send(review("shop", "web"));
    }
    CHECK(sensor.alerts().empty());
    sensor.send(review("shop", "web"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.access_review_burst");
    CHECK(alert.techniques == strings({"T1613"}));
    CHECK(alert.tactics == strings({"TA0007"}));
    CHECK(alert.evidence.at("calls_in_window") == "11");
    sensor.send(review("shop", "web")); // the count started over
    CHECK(sensor.alerts().size() == 1);
}

TEST_CASE("access_review_burst: a slow trickle and kube-system stay quiet")
{
    Sensor sensor;
    sensor.start();
    for (int index = 0; index < 30; ++index) {
        sensor.send(review("shop", "web"));
        sensor.send(review("kube-system", "namespace-controller"));
        sensor.advance(7); // about 9 per minute
    }
    CHECK(sensor.alerts().empty());
}

TEST_CASE("secret_enumeration: secrets read across namespaces")
{
    Sensor sensor;
    sensor.start();
    for (const char *ns : {"billing", "payments", "auth", "monitoring", "default", "shop", "shop"}) {
        sensor.send(by_account("shop", "web", "get", "secrets", ns));
    }
    CHECK(sensor.alerts().empty()); // five elsewhere, and its own namespace does not count
    sensor.send(by_account("shop", "web", "list", "secrets", ""));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "sa_abuse.secret_enumeration");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_lists.at("namespaces").size() == 6);
    CHECK(alert.evidence_lists.at("namespaces").back() == "(cluster-wide)");
}

TEST_CASE("secret_enumeration: an app reading its own secrets, or an allow-listed account, stays quiet")
{
    Sensor sensor;
    sensor.host.set_option("discovery_ignore_accounts", strings({"kube-system:*", "vault:*"}));
    sensor.start();
    for (int index = 0; index < 50; ++index) {
        sensor.send(by_account("shop", "web", "get", "secrets", "shop"));
        sensor.send(by_account("vault", "injector", "get", "secrets", "ns-" + std::to_string(index)));
    }
    CHECK(sensor.rules().empty());
}
