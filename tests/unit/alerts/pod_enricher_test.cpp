// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/alerts/pod_enricher.hpp"
#include "kubernetes/pod_json.hpp"

using namespace vigil::kubernetes;
using vigil::alerts::apply_pod_metadata;
using vigil::alerts::PodEnricher;
using vigil::kubernetes::testing::hex_id;

namespace {

constexpr uint64_t ms = 1'000'000;

vigil::alerts::Alert container_alert(char id_digit, const std::string &pod_uid, const std::string &rule = "r")
{
    vigil::alerts::Alert alert;
    alert.rule = rule;
    alert.container = vigil::alerts::ContainerContext{hex_id(id_digit), "containerd"};
    alert.k8s.pod_uid = pod_uid;
    alert.k8s.node = "node-1";
    alert.k8s.source = "cgroup";
    return alert;
}

PodMetadata web_pod()
{
    PodMetadata pod;
    pod.uid = "uid-1";
    pod.name = "web-1";
    pod.namespace_name = "shop";
    pod.service_account = "web-sa";
    pod.workload_kind = "Deployment";
    pod.workload_name = "web";
    pod.template_hash = "7d4b9c";
    pod.labels = {{"app", "web"}};
    pod.container_ids = {hex_id('1')};
    return pod;
}

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes enricher: a known pod's alert is enriched and sent at once")
    {
        PodCache cache(16, 1000);
        cache.upsert(web_pod(), 0);
        PodEnricher enricher(cache, 2000 * ms, 8);
        auto alert = container_alert('1', "");
        REQUIRE(enricher.enrich_or_hold(alert, 0));
        CHECK(alert.k8s.source == "api");
        CHECK(alert.k8s.pod == "web-1");
        CHECK(alert.k8s.namespace_name == "shop");
        CHECK(alert.k8s.pod_uid == "uid-1");
        CHECK(alert.k8s.node == "node-1");
        CHECK(alert.k8s.workload_name == "web");
        CHECK(alert.k8s.template_hash == "7d4b9c");
        CHECK(alert.k8s.service_account == "web-sa");
        CHECK(alert.k8s.labels.size() == 1);

        vigil::alerts::Alert host;
        host.rule = "host";
        CHECK(enricher.enrich_or_hold(host, 0)); // no container: nothing to wait for
        CHECK(host.k8s.source.empty());
        CHECK(enricher.statistics().enriched == 1);
    }

    TEST_CASE("kubernetes enricher: held until the pod arrives, then sent enriched")
    {
        PodCache cache(16, 1000);
        PodEnricher enricher(cache, 2000 * ms, 8);
        auto alert = container_alert('1', "uid-1", "early");
        CHECK_FALSE(enricher.enrich_or_hold(alert, 100 * ms));
        CHECK(enricher.held() == 1);

        std::vector<vigil::alerts::Alert> ready;
        enricher.release(500 * ms, ready);
        CHECK(ready.empty()); // nothing changed, no deadline passed

        cache.upsert(web_pod(), 0);
        enricher.release(600 * ms, ready);
        REQUIRE(ready.size() == 1);
        CHECK(ready[0].rule == "early");
        CHECK(ready[0].k8s.source == "api");
        CHECK(ready[0].k8s.pod == "web-1");
        CHECK(enricher.empty());
        CHECK(enricher.statistics().enriched_after_wait == 1);
    }

    TEST_CASE("kubernetes enricher: unresolved once the wait runs out, other alerts keep waiting")
    {
        PodCache cache(16, 1000);
        PodEnricher enricher(cache, 2000 * ms, 8);
        auto first = container_alert('7', "uid-never", "first");
        auto second = container_alert('8', "uid-later", "second");
        CHECK_FALSE(enricher.enrich_or_hold(first, 0));
        CHECK_FALSE(enricher.enrich_or_hold(second, 1500 * ms));

        std::vector<vigil::alerts::Alert> ready;
        enricher.release(1999 * ms, ready);
        CHECK(ready.empty());
        enricher.release(2000 * ms, ready);
        REQUIRE(ready.size() == 1);
        CHECK(ready[0].rule == "first");
        CHECK(ready[0].k8s.source == "unresolved");
        CHECK(ready[0].k8s.pod_uid == "uid-never"); // the cgroup's fields stay
        CHECK(enricher.held() == 1);

        ready.clear();
        enricher.release_all(ready); // stopping
        REQUIRE(ready.size() == 1);
        CHECK(ready[0].k8s.source == "unresolved");
        CHECK(enricher.statistics().unresolved == 2);
    }

    TEST_CASE("kubernetes enricher: a full holding list or no wait sends unresolved at once")
    {
        PodCache cache(16, 1000);
        PodEnricher bounded(cache, 2000 * ms, 1);
        auto first = container_alert('1', "x");
        auto second = container_alert('2', "y");
        CHECK_FALSE(bounded.enrich_or_hold(first, 0));
        CHECK(bounded.enrich_or_hold(second, 0));
        CHECK(second.k8s.source == "unresolved");

        PodEnricher no_wait(cache, 0, 8);
        auto third = container_alert('3', "z");
        CHECK(no_wait.enrich_or_hold(third, 0));
        CHECK(third.k8s.source == "unresolved");
    }
}

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes alert json: workload template hash and labels")
    {
        vigil::alerts::Alert alert;
        alert.k8s.node = "node-1";
        apply_pod_metadata(alert.k8s, web_pod());
        auto json = vigil::alerts::to_json(alert);
        CHECK(json.find(R"("k8s":{"namespace":"shop","pod":"web-1","pod_uid":"uid-1","node":"node-1",)"
                        R"("workload":{"kind":"Deployment","name":"web","template_hash":"7d4b9c"},)"
                        R"("service_account":"web-sa","labels":{"app":"web"},"source":"api"})") != std::string::npos);
    }
}
