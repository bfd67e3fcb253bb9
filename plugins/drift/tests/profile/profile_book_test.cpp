// SPDX-License-Identifier: Apache-2.0
// The book: find-or-create with rollout inheritance, and its bounds.
#include <doctest/doctest.h>

#include "profile/profile_book.hpp"
#include "test_support.hpp"

using namespace drift_test;

TEST_CASE("find_or_create returns one profile per key and version")
{
    ProfileBook book;
    auto &first = book.find_or_create(cart_key(), "v1", t0);
    auto &again = book.find_or_create(cart_key(), "v1", t0 + 1);
    CHECK(&first == &again);
    CHECK(first.inherited_from().empty());
    book.find_or_create(cart_key("sidecar"), "v1", t0);
    CHECK(book.size() == 2);
    CHECK(book.find(cart_key(), "v1") == &first);
    CHECK(book.find(cart_key(), "v9") == nullptr);
}

TEST_CASE("a new version inherits from the key's latest version")
{
    ProfileBook book;
    book.observe(cart_key(), "v1", exec_observation("/app/a", "a", ""), t0);
    book.find_or_create(cart_key(), "v2", t0 + day);
    book.observe(cart_key(), "v2", exec_observation("/app/b", "b", ""), t0 + day);
    book.advance(t0 + 10 * day);
    auto &v3 = book.find_or_create(cart_key(), "v3", t0 + 10 * day);
    CHECK(v3.inherited_from() == "v2");
    CHECK(v3.behaviour(BehaviourClass::executables).entries.size() == 2);
    CHECK(v3.behaviour(BehaviourClass::executables).state == LearningState::relearning);
    auto versions = book.versions(cart_key());
    REQUIRE(versions.size() == 3);
    CHECK(versions.front()->version() == "v1");
}

TEST_CASE("versions beyond the bound are dropped oldest first, never a running one")
{
    LearningPolicy policy;
    policy.max_versions_per_workload = 2;
    ProfileBook book(policy);
    book.find_or_create(cart_key(), "v1", t0);
    book.mark_running(cart_key(), "v1", true);
    book.find_or_create(cart_key(), "v2", t0 + 1);
    book.find_or_create(cart_key(), "v3", t0 + 2);
    CHECK(book.find(cart_key(), "v1") != nullptr);
    CHECK(book.find(cart_key(), "v2") == nullptr);
    CHECK(book.counters().versions_dropped == 1);
    auto removed = book.take_removed();
    REQUIRE(removed.size() == 1);
    CHECK(removed.front().version == "v2");
    CHECK(book.take_removed().empty());

    book.mark_running(cart_key(), "v3", true);
    book.find_or_create(cart_key(), "v4", t0 + 3);
    CHECK(book.size() == 3);
    CHECK(book.counters().over_bound == 1);
}

TEST_CASE("beyond the total bound the least recently seen idle profile is evicted")
{
    LearningPolicy policy;
    policy.max_profiles = 3;
    ProfileBook book(policy);
    book.find_or_create(cart_key("a"), "v1", t0);
    book.find_or_create(cart_key("b"), "v1", t0 + 1);
    book.find_or_create(cart_key("c"), "v1", t0 + 2);
    book.observe(cart_key("a"), "v1", dns_observation("example.com"), t0 + 10);
    book.mark_running(cart_key("b"), "v1", true);
    book.find_or_create(cart_key("d"), "v1", t0 + 20);
    CHECK(book.find(cart_key("c"), "v1") == nullptr); // b is older but running, a was seen later
    CHECK(book.counters().profiles_evicted == 1);
    book.find_or_create(cart_key("e"), "v1", t0 + 30);
    CHECK(book.find(cart_key("a"), "v1") == nullptr);
    CHECK(book.find(cart_key("b"), "v1") != nullptr);
    CHECK(book.counters().profiles_evicted == 2);
    CHECK(book.take_removed().size() == 2);
}

TEST_CASE("dirty tracking and partial marking across the book")
{
    ProfileBook book;
    book.find_or_create(cart_key(), "v1", t0);
    CHECK(book.dirty_profiles().size() == 1);
    book.find(cart_key(), "v1")->mark_saved();
    CHECK(book.dirty_profiles().empty());
    book.mark_learning_partial("events were lost while it learned");
    CHECK(book.find(cart_key(), "v1")->partial());
    CHECK(book.dirty_profiles().size() == 1);

    book.find(cart_key(), "v1")->mark_saved();
    book.mark_running(cart_key(), "v1", true);
    auto batch = book.take_dirty(t0 + hour);
    REQUIRE(batch.profiles.size() == 1);
    CHECK(batch.profiles.front()->last_seen_ns() == t0 + hour);
}
