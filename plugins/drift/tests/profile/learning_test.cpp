// SPDX-License-Identifier: Apache-2.0
// Learning states: time-driven transitions, the cap, drift and partial.
#include <doctest/doctest.h>

#include "profile/profile.hpp"
#include "test_support.hpp"

using namespace drift_test;

namespace {

Observation curl()
{
    return exec_observation("/usr/bin/curl", "curl", "/bin/sh");
}

Observation wget()
{
    return exec_observation("/usr/bin/wget", "wget", "/bin/sh");
}

} // namespace

TEST_CASE("a class becomes stable after the minimum and then a quiet period")
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    profile.observe(curl(), t0 + 6 * day + 12 * hour, policy); // new, half a day before the minimum
    profile.advance(t0 + 7 * day, policy);
    CHECK(profile.behaviour(BehaviourClass::executables).state == LearningState::learning);
    auto progress = profile.progress(BehaviourClass::executables, t0 + 7 * day, policy);
    CHECK(progress.left_ns == 12 * hour);
    CHECK(progress.percent == doctest::Approx(100.0 * 7 / 7.5));

    profile.advance(t0 + 7 * day + 12 * hour, policy);
    const auto &data = profile.behaviour(BehaviourClass::executables);
    CHECK(data.state == LearningState::stable);
    CHECK(data.learned_ns == 7 * day + 12 * hour);
    // Classes without anything new became stable at the minimum.
    CHECK(profile.behaviour(BehaviourClass::dns).state == LearningState::stable);
    CHECK(profile.behaviour(BehaviourClass::dns).learned_ns == 7 * day);
    CHECK(profile.progress(BehaviourClass::dns, t0 + 8 * day, policy).percent == 100.0);
}

TEST_CASE("a class that keeps growing becomes stable at the maximum")
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    for (std::uint64_t hours = 0; hours < 14 * 24; hours += 12) {
        profile.observe(file_observation("/d" + std::to_string(hours) + "/f", true), t0 + hours * hour, policy);
    }
    profile.advance(t0 + 14 * day - 1, policy);
    CHECK(profile.behaviour(BehaviourClass::files).state == LearningState::learning);
    profile.advance(t0 + 14 * day, policy);
    CHECK(profile.behaviour(BehaviourClass::files).state == LearningState::stable);
    CHECK(profile.behaviour(BehaviourClass::files).learned_ns == 14 * day);
}

TEST_CASE("a class past the entry cap is unstable and never drifts")
{
    LearningPolicy policy;
    policy.entry_cap = 2;
    Profile profile(cart_key(), "v1", t0);
    profile.observe(curl(), t0, policy);
    profile.observe(wget(), t0, policy);
    auto third = profile.observe(exec_observation("/bin/nc", "nc", "/bin/sh"), t0 + 1, policy);
    CHECK(third.state == LearningState::unstable);
    CHECK_FALSE(third.drift);
    const auto &data = profile.behaviour(BehaviourClass::executables);
    CHECK(data.cap_hit);
    CHECK(profile.cap_hit());
    CHECK(data.rejected == 1);
    CHECK(data.entries.size() == 2);

    profile.advance(t0 + 30 * day, policy);
    CHECK(data.state == LearningState::unstable);
    auto later = profile.observe(exec_observation("/bin/bash", "bash", "/bin/sh"), t0 + 30 * day, policy);
    CHECK_FALSE(later.drift);
    CHECK(data.rejected == 2);
    CHECK(profile.behaviour(BehaviourClass::files).state == LearningState::stable);
}

TEST_CASE("nothing drifts while learning; a stable class reports new entries as drift")
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    auto first = profile.observe(curl(), t0, policy);
    CHECK_FALSE(first.known);
    CHECK_FALSE(first.drift);
    CHECK(first.state == LearningState::learning);
    CHECK(profile.observe(curl(), t0 + hour, policy).known);

    auto at = t0 + 8 * day;
    auto known = profile.observe(curl(), at, policy);
    CHECK(known.known);
    CHECK_FALSE(known.drift);
    CHECK(known.state == LearningState::stable);

    auto drift = profile.observe(wget(), at, policy);
    CHECK(drift.drift);
    CHECK_FALSE(drift.known);
    CHECK(drift.stored_entry == wget().entry);
    CHECK(drift.learned_ns == 7 * day);
    // Drift is not learned: it stays drift.
    CHECK(profile.observe(wget(), at + 1, policy).drift);
    CHECK(profile.behaviour(BehaviourClass::executables).drift_count == 2);
    CHECK(profile.behaviour(BehaviourClass::executables).entries.size() == 1);
}

TEST_CASE("transitions are dated when they were due")
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    profile.advance(t0 + 20 * day, policy);
    CHECK(profile.behaviour(BehaviourClass::dns).state_since_ns == t0 + 7 * day);
}

TEST_CASE("a profile learned while events were lost is partial, with the reason")
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    CHECK_FALSE(profile.partial());
    profile.mark_partial("the container started before the sensor");
    profile.mark_partial("events were lost while it learned");
    profile.mark_partial("events were lost while it learned");
    const auto &data = profile.behaviour(BehaviourClass::files);
    CHECK(data.partial);
    CHECK(data.partial_reason == "the container started before the sensor; events were lost while it learned");
    CHECK(profile.partial());

    Profile stable(cart_key(), "v1", t0);
    stable.advance(t0 + 8 * day, policy);
    stable.mark_partial("events were lost while it learned");
    CHECK_FALSE(stable.partial());
}
