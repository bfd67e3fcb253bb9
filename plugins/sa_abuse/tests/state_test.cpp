// SPDX-License-Identifier: Apache-2.0
// The bounded state classes on their own: limits and forgetting.
#include "baseline.hpp"
#include "burst_counter.hpp"
#include "exec_join.hpp"
#include "test_support.hpp"
#include "token_sources.hpp"

using namespace vigil_sa_abuse;
using sa_abuse_test::second;

TEST_CASE("WarmupBaseline: untracked accounts beyond the bound are always usual")
{
    WarmupBaseline baseline(10 * second, 1, 8);
    CallShape call{"get", "pods", "", "shop"};
    CallShape other{"delete", "pods", "", "shop"};
    baseline.observe("a:one", call, 0);
    baseline.observe("b:two", call, 0);
    CHECK(baseline.untracked_calls() == 1);
    CHECK_FALSE(baseline.is_usual("a:one", other, 11 * second));
    CHECK(baseline.is_usual("b:two", other, 11 * second));
}

TEST_CASE("WarmupBaseline: an account broader than the bound during warm-up is not judged")
{
    WarmupBaseline baseline(10 * second, 4, 8);
    for (int index = 0; index < 9; ++index) {
        baseline.observe("a:wide", CallShape{"get", "r" + std::to_string(index), "", ""}, second);
    }
    CHECK(baseline.is_usual("a:wide", CallShape{"delete", "anything", "", ""}, 20 * second));
}

TEST_CASE("BurstCounter: old calls leave the window")
{
    BurstCounter counter(10 * second, 2, 4);
    CHECK(counter.add("a", "x", 0).empty());
    CHECK(counter.add("a", "y", 5 * second).empty());
    CHECK(counter.add("a", "z", 11 * second).empty()); // the first left the window
    CHECK(counter.add("a", "w", 12 * second).size() == 3);
}

TEST_CASE("TokenSources: the least recently seen pod is forgotten when full")
{
    TokenSources sources(1, 2);
    CHECK(sources.observe("p1", "10.0.0.1", 1) == TokenSources::Verdict::learning);
    CHECK(sources.observe("p2", "10.0.0.2", 2) == TokenSources::Verdict::learning);
    CHECK(sources.observe("p3", "10.0.0.3", 3) == TokenSources::Verdict::learning);
    CHECK(sources.forgotten_pods() == 1);
    CHECK(sources.learned("p1").empty());
    CHECK(sources.observe("p2", "10.0.0.2", 4) == TokenSources::Verdict::known);
    CHECK(sources.observe("p2", "10.9.9.9", 5) == TokenSources::Verdict::foreign);
    CHECK(sources.observe("p2", "10.9.9.9", 6) == TokenSources::Verdict::repeated);
}

TEST_CASE("ExecJoin: pod names map to UIDs; pairs are made once, within the window")
{
    ExecJoin join(5 * second, 16);
    join.learn_pod("shop", "web-1", "u1");
    CHECK(join.pod_uid("shop", "web-1") == "u1");
    CHECK(join.pod_uid("other", "web-1").empty());
    CHECK_FALSE(join.add_request(ExecRequest{second, "u1", "alice", "shop/web-1", "/x", "id"}));
    CHECK_FALSE(join.add_process(ExecProcess{second, "u2", "/bin/sh", "sh", "c", 1}));
    auto request = join.add_process(ExecProcess{2 * second, "u1", "/bin/sh", "sh", "c", 2});
    REQUIRE(request);
    CHECK(request->user == "alice");
    CHECK_FALSE(join.add_process(ExecProcess{3 * second, "u1", "/bin/sh", "sh", "c", 3}));
    CHECK_FALSE(join.add_request(ExecRequest{20 * second, "u1", "bob", "shop/web-1", "/x", "id2"})); // process expired
}
