// SPDX-License-Identifier: Apache-2.0
// vigil-profiles run end to end against a temporary state directory.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "profile/profile_json.hpp"
#include "profile/profile_store.hpp"
#include "test_support.hpp"

using namespace drift_test;

namespace {

struct Run {
    int status = -1;
    std::string out;
    std::string err;
};

std::string read_file(const std::filesystem::path &path)
{
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string quoted(const std::string &text)
{
    std::string quoted = "'";
    for (char character : text) {
        quoted += character == '\'' ? std::string("'\\''") : std::string(1, character);
    }
    return quoted + "'";
}

// Runs the command through the shell with its output in files.
Run run(const TemporaryDirectory &directory, const std::string &arguments, const std::string &environment = "")
{
    auto out = directory.path() / "out.txt";
    auto err = directory.path() / "err.txt";
    auto command = environment + " " + quoted(DRIFT_PROFILES_COMMAND) + " " + arguments + " >" + quoted(out.string()) +
                   " 2>" + quoted(err.string());
    int raw = std::system(command.c_str());
    Run result;
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// A database as the sensor leaves it: its policy and two profiles.
void seed(const TemporaryDirectory &directory)
{
    LearningPolicy policy;
    policy.minimum_ns = 2 * day;
    policy.quiet_ns = hour;
    ProfileStore store(profile_database_path(directory.path() / "state"));
    store.save_policy(policy);
    ProfileBook book(policy);
    book.observe(cart_key(), "v1", exec_observation("/app/server", "server", "/bin/sh"), t0);
    book.observe(cart_key(), "v1", dns_observation("db.internal"), t0 + 2 * day - hour / 2);
    book.find(cart_key(), "v1")->mark_partial("events were lost while it learned");
    book.observe(cart_key("sidecar"), "v1", listening_observation("tcp", 9090), t0);
    store.save(book);
}

} // namespace

TEST_CASE("the command lists and shows profiles with the sensor's policy")
{
    TemporaryDirectory directory;
    seed(directory);
    auto state = quoted((directory.path() / "state").string());
    auto listed = run(directory, "--state-dir " + state + " --at 2024-05-03T00:00:00Z list");
    CHECK(listed.status == 0);
    CAPTURE(listed.out);
    CHECK(contains(listed.out, "shop/Deployment/cart/app  version v1"));
    // Executables: stable at the two-day minimum; dns: new half an hour before it, so quiet for an hour 30m from now.
    CHECK(contains(listed.out, "executables stable"));
    CHECK(contains(listed.out, "dns         learning    99.0%  30m left"));
    CHECK(contains(listed.out, "partial: events were lost while it learned"));

    auto shown = run(directory, "show shop/Deployment/cart/app", "VIGIL_STATE_DIRECTORY=" + state);
    CHECK(shown.status == 0);
    CHECK(contains(shown.out, "/app/server argv0=server parent=/bin/sh"));
    CHECK_FALSE(contains(shown.out, "sidecar"));
}

TEST_CASE("the command exports, resets and imports")
{
    TemporaryDirectory directory;
    seed(directory);
    auto state = " --state-dir " + quoted((directory.path() / "state").string()) + " ";
    auto file = directory.path() / "export.json";

    auto exported = run(directory, state + "export shop/Deployment/cart/app -o " + quoted(file.string()));
    CHECK(exported.status == 0);
    auto profiles = import_profiles_json(read_file(file));
    REQUIRE(profiles.size() == 1);
    CHECK(profiles.front().behaviour(BehaviourClass::dns).entries.contains("db.internal"));
    auto all = run(directory, state + "export");
    CHECK(import_profiles_json(all.out).size() == 2);

    auto reset = run(directory, state + "reset shop/Deployment/cart/app");
    CHECK(reset.status == 0);
    ProfileStore store(profile_database_path(directory.path() / "state"));
    CHECK(store.load(cart_key(), "v1")->behaviour(BehaviourClass::dns).entries.empty());

    auto imported = run(directory, state + "import " + quoted(file.string()));
    CHECK(imported.status == 0);
    auto back = store.load(cart_key(), "v1");
    REQUIRE(back);
    CHECK(back->behaviour(BehaviourClass::dns).entries.contains("db.internal"));
    CHECK(back->generation() == 3);
}

TEST_CASE("the command's errors and exit statuses")
{
    TemporaryDirectory directory;
    auto state = " --state-dir " + quoted((directory.path() / "state").string()) + " ";
    auto missing = run(directory, state + "list");
    CHECK(missing.status == 1);
    CHECK(contains(missing.err, "drift/profiles.db"));

    seed(directory);
    CHECK(run(directory, state + "show shop/Deployment/nothing/app").status == 2);
    CHECK(run(directory, state + "show not-a-key").status == 2);
    CHECK(run(directory, state + "export shop/Deployment/nothing/app").status == 2);
    CHECK(run(directory, state + "reset shop/Deployment/nothing/app").status == 2);
    CHECK(run(directory, state + "frobnicate").status == 2);
    CHECK(run(directory, state + "show").status == 2);
    CHECK(run(directory, "list", "env -u VIGIL_STATE_DIRECTORY").status == 2);
    CHECK(run(directory, "--help").status == 0);

    auto bad = directory.path() / "bad.json";
    std::ofstream(bad) << R"({"format": "vigil-drift-profiles", "format_version": 1, "profiles": [{"key": 1}]})";
    auto rejected = run(directory, state + "import " + quoted(bad.string()));
    CHECK(rejected.status == 1);
    CHECK(contains(rejected.err, bad.string() + ": profiles[0].key: expected a string"));
    CHECK(run(directory, state + "import " + quoted((directory.path() / "none.json").string())).status == 1);
}
