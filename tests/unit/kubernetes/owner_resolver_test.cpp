// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/kubernetes/owner_resolver.hpp"

using namespace vigil::kubernetes;
using namespace std::chrono_literals;

namespace {

const std::string job_path = "/apis/batch/v1/namespaces/batch/jobs/report-29000000";
const std::string replicaset_path = "/apis/apps/v1/namespaces/shop/replicasets/web-7d4b9c";

// The API by path: a canned answer, or no answer at all; and what was asked.
struct FakeApi {
    std::map<std::string, std::expected<ApiResponse, std::string>> answers;
    std::map<std::string, int> requests;

    OwnerResolver::Fetch fetch()
    {
        return [this](const std::string &path) -> std::expected<ApiResponse, std::string> {
            ++requests[path];
            auto found = answers.find(path);
            return found != answers.end() ? found->second : std::unexpected(std::string("connection refused"));
        };
    }
};

struct Fixture {
    FakeApi api;
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{} + 1h;
    OwnerResolver owners{api.fetch(), 100, [this] { return now; },
                         vigil::util::BackoffLimits{std::chrono::seconds{5}, std::chrono::seconds{60}}};
};

PodMetadata job_pod(const std::string &uid)
{
    PodMetadata pod;
    pod.uid = uid;
    pod.namespace_name = "batch";
    pod.name = "report-29000000-" + uid;
    pod.owner_kind = "Job";
    pod.owner_name = "report-29000000";
    return pod;
}

PodMetadata replicaset_pod(const std::string &uid)
{
    PodMetadata pod;
    pod.uid = uid;
    pod.namespace_name = "shop";
    pod.name = "web-7d4b9c-" + uid;
    pod.owner_kind = "ReplicaSet";
    pod.owner_name = "web-7d4b9c";
    pod.template_hash = "7d4b9c";
    return pod;
}

std::pair<std::string, std::string> resolved(OwnerResolver &owners, PodMetadata pod)
{
    owners.resolve(pod);
    return {pod.workload_kind, pod.workload_name};
}

const std::pair<std::string, std::string> cronjob{"CronJob", "report"};
const std::pair<std::string, std::string> job{"Job", "report-29000000"};

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes owners: a Job's CronJob is asked for once, for every event of every pod of it")
    {
        Fixture fixture;
        fixture.api.answers[job_path] = ApiResponse{
            200,
            R"({"kind":"Job","metadata":{"ownerReferences":[{"kind":"CronJob","name":"report","controller":true}]}})"};
        for (int event = 0; event < 4; ++event) {
            CHECK(resolved(fixture.owners, job_pod("a")) == cronjob);
            CHECK(resolved(fixture.owners, job_pod("b")) == cronjob);
        }
        CHECK(fixture.api.requests[job_path] == 1);
        CHECK(fixture.owners.cached() == 1);
        CHECK(fixture.owners.retrying() == 0);
    }

    TEST_CASE("kubernetes owners: no answer is asked again by the same pod only after a backoff")
    {
        Fixture fixture;
        CHECK(resolved(fixture.owners, job_pod("a")) == job); // no CronJob known: the Job itself
        CHECK(fixture.api.requests[job_path] == 1);
        CHECK(fixture.owners.retrying() == 1);

        // The pod's next events at once (MODIFIED as it starts): not asked again.
        for (int event = 0; event < 10; ++event) {
            fixture.now += 50ms; // all within the shortest retry (1 s)
            CHECK(resolved(fixture.owners, job_pod("a")) == job);
        }
        CHECK(fixture.api.requests[job_path] == 1);

        // A new pod of that Job asks at once (it may be the one that finds the server back)...
        CHECK(resolved(fixture.owners, job_pod("b")) == job);
        CHECK(fixture.api.requests[job_path] == 2);

        // ...and once the server answers, every pod of it gets the answer, without asking again.
        fixture.now += 6s; // beyond the first backoff (at most 5 s)
        fixture.api.answers[job_path] = ApiResponse{
            200, R"({"metadata":{"ownerReferences":[{"kind":"CronJob","name":"report","controller":true}]}})"};
        CHECK(resolved(fixture.owners, job_pod("a")) == cronjob);
        CHECK(fixture.api.requests[job_path] == 3);
        CHECK(resolved(fixture.owners, job_pod("b")) == cronjob);
        CHECK(fixture.api.requests[job_path] == 3);
        CHECK(fixture.owners.retrying() == 0);
    }

    TEST_CASE("kubernetes owners: the backoff of a pod grows, and ends with the pod")
    {
        Fixture fixture;
        fixture.api.answers[replicaset_path] = ApiResponse{503, R"({"kind":"Status","code":503})"};
        int asked = 0;
        // Events every 500 ms for 10 minutes: with backoffs from 1 s growing to 60 s, a few dozen asks, not 1200.
        for (int event = 0; event < 1200; ++event) {
            auto workload = resolved(fixture.owners, replicaset_pod("a"));
            CHECK(workload == std::pair<std::string, std::string>{"Deployment", "web"}); // from the name meanwhile
            fixture.now += 500ms;
        }
        asked = fixture.api.requests[replicaset_path];
        CHECK(asked >= 10);
        CHECK(asked <= 60);
        CHECK(fixture.owners.cached() == 0); // a 503 is not an answer to keep

        fixture.owners.forget("a");
        CHECK(fixture.owners.retrying() == 0);
        resolved(fixture.owners, replicaset_pod("a"));
        CHECK(fixture.api.requests[replicaset_path] == asked + 1);
    }

    TEST_CASE("kubernetes owners: 401 and 429 are not kept; 403 and 404 are")
    {
        for (long status : {401L, 429L, 500L}) {
            Fixture fixture;
            fixture.api.answers[job_path] = ApiResponse{status, "{}"};
            resolved(fixture.owners, job_pod("a"));
            resolved(fixture.owners, job_pod("b"));
            CHECK(fixture.owners.cached() == 0);
            CHECK(fixture.api.requests[job_path] == 2);
        }
        for (long status : {403L, 404L}) {
            Fixture fixture;
            fixture.api.answers[job_path] = ApiResponse{status, "{}"};
            CHECK(resolved(fixture.owners, job_pod("a")) == job);
            CHECK(resolved(fixture.owners, job_pod("b")) == job);
            CHECK(fixture.owners.cached() == 1);
            CHECK(fixture.api.requests[job_path] == 1);
        }
    }
}
