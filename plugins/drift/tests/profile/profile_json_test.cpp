// SPDX-License-Identifier: Apache-2.0
// The JSON export, its import, and every way an import is rejected.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "profile/profile_json.hpp"
#include "profile/unix_time.hpp"
#include "test_support.hpp"

using namespace drift_test;
using nlohmann::json;

namespace {

Profile sample()
{
    LearningPolicy policy;
    Profile profile(cart_key(), "v1", t0);
    profile.observe(exec_observation("/app/server", "server", "/bin/sh"), t0 + 1, policy);
    profile.observe(file_observation("/var/log/app.log", true), t0 + 2, policy);
    profile.observe(connection_observation("tcp", "10.0.0.1", 5432), t0 + 3, policy);
    profile.observe(listening_observation("tcp", 8080), t0 + 4, policy);
    profile.observe(dns_observation("db.internal"), t0 + 5, policy);
    profile.mark_partial("events were lost while it learned");
    profile.advance(t0 + 8 * day, policy);
    return profile;
}

std::string import_error(const json &document)
{
    try {
        import_profiles_json(document.dump());
    } catch (const ProfileJsonError &error) {
        return error.what();
    }
    return "accepted";
}

} // namespace

TEST_CASE("RFC 3339 times are lossless")
{
    CHECK(format_unix_ns(t0 + 5) == "2024-05-01T00:00:00.000000005Z");
    CHECK(parse_unix_ns("2024-05-01T00:00:00.000000005Z") == t0 + 5);
    CHECK(parse_unix_ns("2024-05-01T02:00:00+02:00") == t0);
    CHECK(parse_unix_ns("2024-05-01T00:00:00.5Z") == t0 + nanoseconds_per_second / 2);
    CHECK_FALSE(parse_unix_ns("2024-05-01 00:00:00Z"));
    CHECK_FALSE(parse_unix_ns("2024-02-30T00:00:00Z"));
    CHECK_FALSE(parse_unix_ns("2024-05-01T00:00:00"));
}

TEST_CASE("export and import round trip")
{
    auto original = sample();
    Profile other(cart_key("sidecar"), "v2", t0);
    auto text = export_profiles_json({&other, &original});
    auto document = json::parse(text);
    CHECK(document["format"] == "vigil-drift-profiles");
    CHECK(document["format_version"] == 1);
    REQUIRE(document["profiles"].size() == 2);
    CHECK(document["profiles"][0]["key"] == "shop/Deployment/cart/app"); // sorted by key
    const auto &files = document["profiles"][0]["classes"]["files"];
    CHECK(files["entries"][0]["entry"] == "write /var/log/app.log");
    CHECK(files["entries"][0]["first_seen"] == "2024-05-01T00:00:00.000000002Z");
    CHECK(files["partial_reason"] == "events were lost while it learned");
    CHECK(files["state"] == "stable");
    CHECK(document["profiles"][1]["first_seen"].is_null());

    auto imported = import_profiles_json(text);
    REQUIRE(imported.size() == 2);
    const auto &back = imported[0];
    CHECK(back.key() == original.key());
    CHECK(back.version() == original.version());
    CHECK(back.created_ns() == original.created_ns());
    CHECK(back.first_seen_ns() == original.first_seen_ns());
    CHECK(back.last_seen_ns() == original.last_seen_ns());
    for (auto behaviour : all_behaviour_classes) {
        CAPTURE(behaviour_name(behaviour));
        CHECK(back.behaviour(behaviour) == original.behaviour(behaviour));
    }
    CHECK(export_profiles_json({&imported[1], &imported[0]}) == text);
}

TEST_CASE("imports name the bad field")
{
    auto original = sample();
    auto good = json::parse(export_profiles_json({&original, &original}));
    good["profiles"][1]["version"] = "v2";
    REQUIRE(import_error(good) == "accepted");

    auto broken = [&](auto change) {
        auto document = good;
        change(document);
        return import_error(document);
    };
    CHECK(import_error(json::parse("[1]")) == "expected an object");
    CHECK(broken([](json &d) { d.erase("format"); }) == "format: missing");
    CHECK(broken([](json &d) { d["format"] = "other"; }) == "format: expected \"vigil-drift-profiles\"");
    CHECK(broken([](json &d) { d["format_version"] = 2; }) ==
          "format_version: unsupported format version 2 (this build reads 1)");
    CHECK(broken([](json &d) { d["extra"] = 1; }) == "extra: unknown field");
    CHECK(broken([](json &d) { d["profiles"] = json::object(); }) == "profiles: expected an array");
    CHECK(broken([](json &d) { d["profiles"][1]["key"] = "a/b"; }) ==
          "profiles[1].key: expected \"namespace/Kind/name/container\", not \"a/b\"");
    CHECK(broken([](json &d) { d["profiles"][1]["version"] = 3; }) == "profiles[1].version: expected a string");
    CHECK(broken([](json &d) { d["profiles"][0]["source"] = "guess"; }) ==
          "profiles[0].source: expected \"api\" or \"cgroup\"");
    CHECK(broken([](json &d) { d["profiles"][0]["created"] = "yesterday"; }) ==
          "profiles[0].created: expected an RFC 3339 time or null, not \"yesterday\"");
    CHECK(broken([](json &d) { d["profiles"][0]["created"] = nullptr; }) ==
          "profiles[0].created: expected an RFC 3339 time");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["entries"][0]["entry"] = 5; }) ==
          "profiles[0].classes.files.entries[0].entry: expected a string");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["entries"][0] = "write /x"; }) ==
          "profiles[0].classes.files.entries[0]: expected an object");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["entries"][0]["entry"] = ""; }) ==
          "profiles[0].classes.files.entries[0].entry: empty entry");
    CHECK(broken([](json &d) {
              auto &entries = d["profiles"][0]["classes"]["dns"]["entries"];
              entries.push_back(entries[0]);
          }) == "profiles[0].classes.dns.entries[1].entry: duplicate entry \"db.internal\"");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["entries"][0]["times_seen"] = -1; }) ==
          "profiles[0].classes.files.entries[0].times_seen: expected a non-negative integer");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["state"] = "sleepy"; }) ==
          "profiles[0].classes.files.state: unknown state \"sleepy\" (expected learning, stable, unstable or "
          "relearning)");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["files"]["cap_hit"] = "no"; }) ==
          "profiles[0].classes.files.cap_hit: expected true or false");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["processes"] = json::object(); }) ==
          "profiles[0].classes.processes: unknown field");
    CHECK(broken([](json &d) { d["profiles"][0]["classes"]["dns"].erase("entries"); }) ==
          "profiles[0].classes.dns.entries: missing");
    CHECK(broken([](json &d) { d["profiles"][1]["version"] = "v1"; }) ==
          "profiles[1]: the same key and version as profiles[0]");
    CHECK(import_error(json()).find("not JSON") == std::string::npos); // "null" is JSON, but no object
    try {
        import_profiles_json("{\"format\": ");
        FAIL("accepted broken JSON");
    } catch (const ProfileJsonError &error) {
        CHECK(error.path().empty());
        CHECK(std::string(error.what()).starts_with("not JSON"));
    }
}
