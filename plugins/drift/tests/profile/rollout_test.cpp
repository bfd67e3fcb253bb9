// SPDX-License-Identifier: Apache-2.0
// Rollouts: a new version starts from the previous one's entries and relearns.
#include <doctest/doctest.h>

#include "profile/profile.hpp"
#include "profile/profile_book.hpp"
#include "test_support.hpp"

using namespace drift_test;

TEST_CASE("a new version inherits entries and relearns for the window")
{
    LearningPolicy policy;
    policy.entry_cap = 2;
    Profile old_version(cart_key(), "v1", t0);
    old_version.observe(exec_observation("/app/server", "server", "/bin/sh"), t0, policy);
    for (const char *name : {"a.example.com", "b.example.com", "c.example.com"}) {
        old_version.observe(dns_observation(name), t0, policy); // dns goes unstable at the cap
    }
    old_version.mark_partial(BehaviourClass::files, "events were lost while it learned");
    auto rollout = t0 + 10 * day;
    old_version.advance(rollout, policy);
    REQUIRE(old_version.behaviour(BehaviourClass::executables).state == LearningState::stable);
    REQUIRE(old_version.behaviour(BehaviourClass::dns).state == LearningState::unstable);

    auto next = Profile::start_from(old_version, "v2", rollout);
    CHECK(next.version() == "v2");
    CHECK(next.inherited_from() == "v1");
    CHECK(next.behaviour(BehaviourClass::executables).state == LearningState::relearning);
    CHECK(next.behaviour(BehaviourClass::dns).state == LearningState::unstable);
    CHECK(next.behaviour(BehaviourClass::files).partial);

    auto known = next.observe(exec_observation("/app/server", "server", "/bin/sh"), rollout + hour, policy);
    CHECK(known.known);
    auto learned = next.observe(exec_observation("/app/migrate", "migrate", "/bin/sh"), rollout + hour, policy);
    CHECK_FALSE(learned.known);
    CHECK_FALSE(learned.drift);
    CHECK(learned.state == LearningState::relearning);
    auto progress = next.progress(BehaviourClass::executables, rollout + hour, policy);
    CHECK(progress.left_ns == 2 * hour);

    next.advance(rollout + 3 * hour, policy);
    CHECK(next.behaviour(BehaviourClass::executables).state == LearningState::stable);
    CHECK(next.behaviour(BehaviourClass::dns).state == LearningState::unstable);
    CHECK(next.observe(exec_observation("/app/migrate", "migrate", "/bin/sh"), rollout + 4 * hour, policy).known);
    CHECK(next.observe(exec_observation("/bin/nc", "nc", "/bin/sh"), rollout + 4 * hour, policy).drift);
    CHECK(next.behaviour(BehaviourClass::executables).learned_ns == 7 * day);
}

TEST_CASE("a version that was still learning keeps learning on its clock")
{
    LearningPolicy policy;
    Profile old_version(cart_key(), "v1", t0);
    auto next = Profile::start_from(old_version, "v2", t0 + 2 * day);
    CHECK(next.behaviour(BehaviourClass::files).state == LearningState::learning);
    CHECK(next.behaviour(BehaviourClass::files).learning_start_ns == t0);
    next.advance(t0 + 7 * day, policy);
    CHECK(next.behaviour(BehaviourClass::files).state == LearningState::stable);
}

TEST_CASE("a rollout between ticks relearns from the old version's states as of now")
{
    // The old version's learning ended since the book last advanced it: the new version must
    // start relearning, not inherit a "learning" state whose clock has already run out.
    LearningPolicy policy;
    ProfileBook book(policy);
    book.observe(cart_key(), "v1", exec_observation("/app/server", "server", "/bin/sh"), t0);
    auto rollout = t0 + 10 * day; // no advance() in between
    auto &next = book.find_or_create(cart_key(), "v2", rollout);
    CHECK(next.behaviour(BehaviourClass::executables).state == LearningState::relearning);
    book.advance(rollout + hour);
    CHECK(book.find(cart_key(), "v2")->behaviour(BehaviourClass::executables).state == LearningState::relearning);
}
