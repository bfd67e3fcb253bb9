// SPDX-License-Identifier: Apache-2.0
// SQLite persistence: round trips, incremental saves, outside changes.
#include <doctest/doctest.h>

#include <fstream>

#include "profile/profile_store.hpp"
#include "test_support.hpp"

using namespace drift_test;

namespace {

void fill(ProfileBook &book)
{
    LearningPolicy policy;
    policy.directory_children = 2;
    book.set_policy(policy);
    book.observe(cart_key(), "v1", exec_observation("/app/server", "server", "/bin/sh"), t0);
    for (const char *path : {"/tmp/a", "/tmp/b", "/tmp/c"}) {
        book.observe(cart_key(), "v1", file_observation(path, true), t0 + 1);
    }
    book.observe(cart_key(), "v1", connection_observation("tcp", "2001:db8::1", 443), t0 + 2);
    book.find(cart_key(), "v1")->mark_partial("the container started before the sensor");
    book.observe(cart_key("sidecar"), "v1", dns_observation("example.com"), t0 + 3);
}

} // namespace

TEST_CASE("profiles survive a round trip through the database")
{
    TemporaryDirectory directory;
    auto path = profile_database_path(directory.path());
    ProfileBook book;
    fill(book);
    {
        ProfileStore store(path);
        auto saved = store.save(book);
        CHECK(saved.written == 2);
        CHECK(book.dirty_profiles().empty());
    }
    ProfileStore reopened(path, ProfileStore::Mode::existing);
    auto loaded = reopened.load_all();
    REQUIRE(loaded.size() == 2);
    const auto &original = *book.find(cart_key(), "v1");
    auto match = std::find_if(loaded.begin(), loaded.end(), [](const Profile &p) { return p.key() == cart_key(); });
    REQUIRE(match != loaded.end());
    CHECK_FALSE(match->dirty());
    CHECK(match->persisted());
    CHECK(match->created_ns() == original.created_ns());
    CHECK(match->last_seen_ns() == original.last_seen_ns());
    for (auto behaviour : all_behaviour_classes) {
        CAPTURE(behaviour_name(behaviour));
        CHECK(match->behaviour(behaviour) == original.behaviour(behaviour));
    }
    // Patterns were rebuilt: a later file under /tmp is known.
    LearningPolicy policy;
    CHECK(match->observe(file_observation("/tmp/zzz", true), t0 + 5, policy).known);
}

TEST_CASE("incremental saves write changed and collapsed entries")
{
    TemporaryDirectory directory;
    auto path = profile_database_path(directory.path());
    ProfileStore store(path);
    LearningPolicy policy;
    policy.directory_children = 2;
    ProfileBook book(policy);
    book.observe(cart_key(), "v1", file_observation("/tmp/a", true), t0);
    book.observe(cart_key(), "v1", file_observation("/tmp/b", true), t0);
    store.save(book);
    book.observe(cart_key(), "v1", file_observation("/tmp/c", true), t0 + 1); // collapses
    book.observe(cart_key(), "v1", exec_observation("/bin/true", "true", ""), t0 + 1);
    CHECK(store.save(book).written == 1);
    auto loaded = store.load(cart_key(), "v1");
    REQUIRE(loaded);
    CHECK(loaded->behaviour(BehaviourClass::files) == book.find(cart_key(), "v1")->behaviour(BehaviourClass::files));
    CHECK(loaded->behaviour(BehaviourClass::files).entries.size() == 1);
    CHECK(loaded->behaviour(BehaviourClass::executables).entries.size() == 1);
}

TEST_CASE("evicted profiles are deleted from the store")
{
    TemporaryDirectory directory;
    ProfileStore store(profile_database_path(directory.path()));
    LearningPolicy policy;
    policy.max_profiles = 1;
    ProfileBook book(policy);
    book.find_or_create(cart_key("a"), "v1", t0);
    store.save(book);
    book.find_or_create(cart_key("b"), "v1", t0 + 1);
    auto result = store.save(book);
    CHECK(result.deleted == 1);
    CHECK(store.load_all().size() == 1);
}

TEST_CASE("the sensor notices resets and imports made by the command")
{
    TemporaryDirectory directory;
    auto path = profile_database_path(directory.path());
    ProfileStore sensor_store(path);
    ProfileBook book;
    fill(book);
    sensor_store.save(book);
    auto counter = sensor_store.change_counter();
    CHECK(sensor_store.sync(book).reloaded == 0);

    ProfileStore command_store(path, ProfileStore::Mode::existing);
    CHECK(command_store.reset(cart_key(), t0 + day) == 1);
    CHECK(command_store.reset(cart_key("nothing"), t0 + day) == 0);
    CHECK(sensor_store.change_counter() == counter + 1);

    // The sensor saving first does not overwrite the reset.
    book.observe(cart_key(), "v1", exec_observation("/bin/late", "late", ""), t0 + day + 1);
    auto saved = sensor_store.save(book);
    CHECK(saved.skipped.size() == 1);

    auto synced = sensor_store.sync(book);
    CHECK(synced.reloaded == 1);
    const auto *reset = book.find(cart_key(), "v1");
    REQUIRE(reset != nullptr);
    CHECK(reset->behaviour(BehaviourClass::executables).entries.empty());
    CHECK(reset->behaviour(BehaviourClass::files).learning_start_ns == t0 + day);
    CHECK_FALSE(reset->partial());
    CHECK(reset->generation() == 2);
    CHECK(sensor_store.sync(book).reloaded == 0);

    // Deleted outside: the sensor forgets it.
    CHECK(command_store.remove(cart_key("sidecar"), "v1"));
    CHECK(book.reload_changed(sensor_store) == 1);
    CHECK(book.find(cart_key("sidecar"), "v1") == nullptr);

    // Imported: new profiles appear.
    std::vector<Profile> imported{Profile(cart_key("new"), "v7", t0)};
    command_store.import_profiles(imported);
    CHECK(sensor_store.sync(book).reloaded == 1);
    CHECK(book.find(cart_key("new"), "v7") != nullptr);
}

TEST_CASE("the policy is stored for the command")
{
    TemporaryDirectory directory;
    ProfileStore store(profile_database_path(directory.path()));
    CHECK_FALSE(store.load_policy());
    LearningPolicy policy;
    policy.minimum_ns = 2 * day;
    policy.entry_cap = 7;
    policy.max_profiles = 12;
    store.save_policy(policy);
    CHECK(store.load_policy() == policy);
}

TEST_CASE("store errors name the file")
{
    TemporaryDirectory directory;
    auto missing = directory.path() / "drift" / "profiles.db";
    try {
        ProfileStore store(missing, ProfileStore::Mode::read_only);
        FAIL("opened a missing database");
    } catch (const ProfileStoreError &error) {
        CHECK(std::string(error.what()).find(missing.string()) != std::string::npos);
    }
    auto garbage = directory.path() / "garbage.db";
    std::ofstream(garbage) << "this is not a database, only text that is long enough to fill a header page......";
    try {
        ProfileStore store(garbage);
        FAIL("opened a text file");
    } catch (const ProfileStoreError &error) {
        CHECK(std::string(error.what()).find(garbage.string()) != std::string::npos);
    }
}
