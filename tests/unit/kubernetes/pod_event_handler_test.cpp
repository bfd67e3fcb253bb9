// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <map>

#include "core/kubernetes/pod_event_handler.hpp"
#include "kubernetes/pod_json.hpp"

using namespace vigil::kubernetes;
using vigil::kubernetes::testing::deployment_pod;
using vigil::kubernetes::testing::event;
using vigil::kubernetes::testing::hex_id;

namespace {

// The API as the owner resolver sees it: canned answers by path, and a count of requests.
struct FakeApi {
    std::map<std::string, ApiResponse> answers;
    int requests = 0;

    OwnerResolver::Fetch fetch()
    {
        return [this](const std::string &path) -> std::expected<ApiResponse, std::string> {
            ++requests;
            auto found = answers.find(path);
            if (found == answers.end()) {
                return std::unexpected("connection refused");
            }
            return found->second;
        };
    }
};

const std::string replicaset_path = "/apis/apps/v1/namespaces/shop/replicasets/web-7d4b9c";

ApiResponse replicaset_of(const std::string &deployment)
{
    return {200, R"({"kind":"ReplicaSet","metadata":{"name":"web-7d4b9c","ownerReferences":[)"
                 R"({"kind":"Deployment","name":")" +
                     deployment + R"(","controller":true}]}})"};
}

struct Fixture {
    FakeApi api;
    PodCache cache{100, 1000};
    OwnerResolver owners{api.fetch(), 100};
    uint64_t now = 1;
    PodEventHandler handler{cache, owners, {"app"}, [this] { return now; }};
};

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes watch events: a list, then ADDED, MODIFIED, BOOKMARK and DELETED")
    {
        Fixture fixture;
        fixture.api.answers[replicaset_path] = replicaset_of("web");
        auto list = nlohmann::json{{"kind", "PodList"},
                                   {"apiVersion", "v1"},
                                   {"metadata", {{"resourceVersion", "50"}}},
                                   {"items", nlohmann::json::array()}};
        REQUIRE(fixture.handler.apply_list(list.dump()) == std::size_t{0});
        CHECK(fixture.handler.resource_version() == "50");

        std::string detail;
        CHECK(fixture.handler.apply_event(event("ADDED", deployment_pod("uid-1", "51")), detail) ==
              WatchOutcome::applied);
        CHECK(fixture.handler.resource_version() == "51");
        auto pod = fixture.cache.find(hex_id('b'), "");
        REQUIRE(pod != nullptr);
        CHECK(pod->workload_kind == "Deployment"); // through its ReplicaSet
        CHECK(pod->workload_name == "web");
        CHECK(pod->template_hash == "7d4b9c");
        CHECK(pod->labels == std::vector<std::pair<std::string, std::string>>{{"app", "web"}});

        auto modified = deployment_pod("uid-1", "52");
        modified["spec"]["serviceAccountName"] = "other";
        CHECK(fixture.handler.apply_event(event("MODIFIED", modified), detail) == WatchOutcome::applied);
        CHECK(fixture.cache.find("", "uid-1")->service_account == "other");
        CHECK(fixture.api.requests == 1); // the ReplicaSet's answer is remembered

        auto bookmark = nlohmann::json{{"kind", "Pod"}, {"metadata", {{"resourceVersion", "60"}}}};
        CHECK(fixture.handler.apply_event(event("BOOKMARK", bookmark), detail) == WatchOutcome::applied);
        CHECK(fixture.handler.resource_version() == "60");

        fixture.now = 500;
        CHECK(fixture.handler.apply_event(event("DELETED", deployment_pod("uid-1", "61")), detail) ==
              WatchOutcome::applied);
        CHECK(fixture.cache.find(hex_id('b'), "") != nullptr); // within the grace period
        fixture.now = 1600;
        PodMetadata other;
        other.uid = "other";
        fixture.cache.upsert(other, fixture.now); // any change expires what is due
        CHECK(fixture.cache.find(hex_id('b'), "uid-1") == nullptr);
    }

    TEST_CASE("kubernetes watch events: ERROR 410 asks for a relist; other errors and junk do not")
    {
        Fixture fixture;
        std::string detail;
        auto gone = nlohmann::json::parse(
            R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410})");
        CHECK(fixture.handler.apply_event(event("ERROR", gone), detail) == WatchOutcome::relist);
        CHECK(detail.find("410") != std::string::npos);
        auto other = nlohmann::json{{"kind", "Status"}, {"code", 500}, {"message", "etcd down"}};
        CHECK(fixture.handler.apply_event(event("ERROR", other), detail) == WatchOutcome::error);

        CHECK(fixture.handler.apply_event("not json", detail) == WatchOutcome::skipped);
        CHECK(fixture.handler.apply_event(R"({"type":"ADDED","object":{"metadata":{}}})", detail) ==
              WatchOutcome::skipped);
        CHECK(fixture.handler.apply_event(R"({"type":"SURPRISE","object":{}})", detail) == WatchOutcome::skipped);
        CHECK(fixture.handler.malformed() == 3);
        CHECK(fixture.cache.size() == 0);
    }

    TEST_CASE("kubernetes watch events: a relist drops pods whose DELETED was missed, after the grace")
    {
        Fixture fixture;
        std::string detail;
        fixture.handler.apply_event(event("ADDED", deployment_pod("gone")), detail);
        auto kept = deployment_pod("kept");
        kept["status"] = nlohmann::json::object();
        auto list = nlohmann::json{{"kind", "PodList"},
                                   {"metadata", {{"resourceVersion", "70"}}},
                                   {"items", nlohmann::json::array({kept, nlohmann::json{{"metadata", 1}}})}};
        REQUIRE(fixture.handler.apply_list(list.dump()) == std::size_t{1}); // the malformed item is skipped
        CHECK(fixture.handler.malformed() == 1);
        CHECK(fixture.cache.find("", "kept") != nullptr);
        CHECK(fixture.cache.find("", "gone") != nullptr); // grace
        fixture.now = 5000;
        fixture.cache.remove("nothing", fixture.now);
        CHECK(fixture.cache.find("", "gone") == nullptr);
        CHECK_FALSE(fixture.handler.apply_list(R"({"kind":"Status","code":403})").has_value());
    }

    TEST_CASE("kubernetes owners: ReplicaSet without access falls back to the name; Job to its CronJob")
    {
        Fixture fixture;
        fixture.api.answers[replicaset_path] = ApiResponse{403, R"({"kind":"Status","code":403})"};
        std::string detail;
        fixture.handler.apply_event(event("ADDED", deployment_pod()), detail);
        auto pod = fixture.cache.find("", "uid-1");
        CHECK(pod->workload_kind == "Deployment");
        CHECK(pod->workload_name == "web"); // "web-7d4b9c" less "-7d4b9c"

        auto job_pod = deployment_pod("uid-2");
        job_pod["metadata"]["ownerReferences"] =
            nlohmann::json::parse(R"([{"kind": "Job", "name": "backup-2900000", "controller": true}])");
        fixture.api.answers["/apis/batch/v1/namespaces/shop/jobs/backup-2900000"] = ApiResponse{
            200, R"({"metadata":{"ownerReferences":[{"kind":"CronJob","name":"backup","controller":true}]}})"};
        fixture.handler.apply_event(event("ADDED", job_pod), detail);
        pod = fixture.cache.find("", "uid-2");
        CHECK(pod->workload_kind == "CronJob");
        CHECK(pod->workload_name == "backup");
        CHECK(pod->template_hash.empty());

        // A transport failure is not remembered: the next pod of that ReplicaSet asks again.
        auto unreachable = deployment_pod("uid-3");
        unreachable["metadata"]["ownerReferences"][1]["name"] = "shop-api-7d4b9c";
        auto requests = fixture.api.requests;
        fixture.handler.apply_event(event("ADDED", unreachable), detail);
        CHECK(fixture.cache.find("", "uid-3")->workload_name == "shop-api");
        unreachable["metadata"]["uid"] = "uid-4";
        fixture.handler.apply_event(event("ADDED", unreachable), detail);
        CHECK(fixture.api.requests == requests + 2);
    }
}
