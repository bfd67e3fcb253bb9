// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/audit/log_follower.hpp"

using namespace vigil::audit;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir()
    {
        char pattern[] = "/tmp/vigil-follower-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

void append(const fs::path &file, const std::string &text)
{
    std::ofstream out(file, std::ios::app | std::ios::binary);
    out << text;
}

std::vector<std::string> poll_all(LogFollower &follower)
{
    std::vector<std::string> lines;
    while (follower.poll([&](std::string_view line) { lines.emplace_back(line); })) {
    }
    return lines;
}

using Lines = std::vector<std::string>;

} // namespace

TEST_SUITE("audit")
{
    TEST_CASE("audit log follower: starts at the end, then takes appended lines once")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        append(file, "old 1\nold 2\nhalf of old");
        LogFollower follower(file.string(), StartAt::end);
        CHECK(poll_all(follower).empty());
        append(file, " line\nnew 1\n");
        // The line the start fell inside is not handed over in pieces.
        CHECK(poll_all(follower) == Lines{"new 1"});
        append(file, "new 2\nnew 3\n");
        CHECK(poll_all(follower) == Lines{"new 2", "new 3"});
        CHECK(poll_all(follower).empty());
    }

    TEST_CASE("audit log follower: from the beginning, a partial line waits for its newline")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        append(file, "one\ntw");
        LogFollower follower(file.string(), StartAt::beginning);
        CHECK(poll_all(follower) == Lines{"one"});
        append(file, "o\r\n\nthr");
        CHECK(poll_all(follower) == Lines{"two"});
        append(file, "ee\n");
        CHECK(poll_all(follower) == Lines{"three"});
    }

    TEST_CASE("audit log follower: a missing file is waited for and read from its start")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        LogFollower follower(file.string(), StartAt::end);
        CHECK(poll_all(follower).empty());
        CHECK_FALSE(follower.is_open());
        append(file, "first\n");
        // Created after the sensor started: everything in it is new.
        CHECK(poll_all(follower) == Lines{"first"});
    }

    TEST_CASE("audit log follower: rename rotation reads the old file to its end, then the new one")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        append(file, "");
        LogFollower follower(file.string(), StartAt::beginning);
        append(file, "a1\na2\n");
        CHECK(poll_all(follower) == Lines{"a1", "a2"});
        append(file, "a3\na4 partial");
        fs::rename(file, dir.path / "audit.log.1");
        // Moved away, not yet replaced: the writer may still append to it.
        append(dir.path / "audit.log.1", " done\n");
        CHECK(poll_all(follower) == Lines{"a3", "a4 partial done"});
        append(dir.path / "audit.log.1", "a5\n");
        append(file, "b1\nb2\n");
        CHECK(poll_all(follower) == Lines{"a5", "b1", "b2"});
        CHECK(follower.statistics().rotations == 1);
        append(file, "b3\n");
        CHECK(poll_all(follower) == Lines{"b3"});
    }

    TEST_CASE("audit log follower: copytruncate starts over at 0, nothing repeated")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        append(file, "");
        LogFollower follower(file.string(), StartAt::beginning);
        append(file, "c1\nc2\nc3\n");
        CHECK(poll_all(follower) == Lines{"c1", "c2", "c3"});
        fs::copy_file(file, dir.path / "audit.log.1");
        REQUIRE(::truncate(file.c_str(), 0) == 0);
        append(file, "d1\n");
        CHECK(poll_all(follower) == Lines{"d1"});
        CHECK(follower.statistics().truncations == 1);
        append(file, "d2\n");
        CHECK(poll_all(follower) == Lines{"d2"});
    }

    TEST_CASE("audit log follower: an overlong line is skipped and counted, the next one kept")
    {
        TempDir dir;
        auto file = dir.path / "audit.log";
        append(file, "");
        LogFollower follower(file.string(), StartAt::beginning, 16);
        append(file, "short\n" + std::string(40, 'x'));
        CHECK(poll_all(follower) == Lines{"short"});
        append(file, std::string(10, 'x') + "\nafter\n");
        CHECK(poll_all(follower) == Lines{"after"});
        CHECK(follower.statistics().overlong_lines == 1);
    }
}
