// SPDX-License-Identifier: Apache-2.0
// The process-tree relation and the bounded sighting log.
#include <doctest/doctest.h>

#include <string>

#include "correlation.hpp"

using namespace vigil_lateral_movement;

namespace {

constexpr uint64_t second = 1'000'000'000ull;

TreeMember member(uint64_t cgroup, uint32_t tgid, uint32_t parent, std::initializer_list<uint32_t> ancestors = {})
{
    TreeMember who;
    who.cgroup_id = cgroup;
    who.tgid = tgid;
    who.parent_tgid = parent;
    for (auto ancestor : ancestors) {
        who.ancestors[who.ancestor_count++] = ancestor;
    }
    return who;
}

Sighting at(uint64_t time, const TreeMember &who, const char *detail = "x")
{
    Sighting sighting;
    sighting.time_ns = time;
    sighting.who = who;
    sighting.set_detail(detail);
    sighting.set_exe("/bin/x");
    return sighting;
}

} // namespace

TEST_CASE("one process tree: itself, ancestors, descendants, siblings; never across containers")
{
    auto shell = member(1, 10, 0);
    auto cat = member(1, 11, 10, {10});
    auto wget = member(1, 12, 10, {10});
    auto grandchild = member(1, 13, 12, {12, 10});
    auto lone = member(1, 20, 0);
    auto elsewhere = member(2, 12, 10, {10});
    CHECK(same_process_tree(cat, cat));
    CHECK(same_process_tree(cat, wget));         // siblings
    CHECK(same_process_tree(shell, wget));       // parent and child
    CHECK(same_process_tree(grandchild, shell)); // ancestor
    CHECK(same_process_tree(shell, grandchild));
    CHECK_FALSE(same_process_tree(lone, shell)); // two execs: their parents are outside the container
    CHECK_FALSE(same_process_tree(cat, elsewhere));
    CHECK_FALSE(same_process_tree(member(1, 0, 0), member(1, 0, 0)));
}

TEST_CASE("the log finds the newest related sighting within the window")
{
    SightingLog log(16);
    auto cat = member(1, 11, 10, {10});
    auto wget = member(1, 12, 10, {10});
    log.record(at(100 * second, cat, "first"));
    log.record(at(200 * second, cat, "second"));
    const auto *found = log.find_related(wget, 250 * second, 300 * second);
    REQUIRE(found != nullptr);
    CHECK(found->detail_text() == "second");
    CHECK(log.find_related(wget, 501 * second, 300 * second) == nullptr); // both too old
    CHECK(log.find_related(member(2, 12, 10), 250 * second, 300 * second) == nullptr);
    // A sighting stamped slightly after "now" (another CPU's record) is recent.
    CHECK(log.find_related(wget, 199 * second, 300 * second) != nullptr);
}

TEST_CASE("the log is bounded: the oldest sighting makes room")
{
    SightingLog log(16);
    auto target = member(1, 11, 10);
    log.record(at(1 * second, target));
    for (uint32_t index = 0; index < 16; ++index) {
        log.record(at(2 * second, member(3, 100 + index, 0)));
    }
    CHECK(log.size() == 16);
    CHECK(log.capacity() == 16);
    CHECK(log.find_related(target, 3 * second, 300 * second) == nullptr);
}

TEST_CASE("texts longer than a sighting's field are cut, not overrun")
{
    Sighting sighting;
    sighting.set_detail(std::string(500, 'x'));
    CHECK(sighting.detail_text().size() == Sighting::text_size - 1);
}
