// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/audit/audit_queue.hpp"

using namespace vigil::audit;

namespace {

std::vector<AuditEvent> events(int first, int count)
{
    std::vector<AuditEvent> made(static_cast<std::size_t>(count));
    for (int index = 0; index < count; ++index) {
        made[static_cast<std::size_t>(index)].audit_id = std::to_string(first + index);
    }
    return made;
}

} // namespace

TEST_SUITE("audit")
{
    TEST_CASE("audit queue: a batch fits whole or is refused whole, and counted")
    {
        AuditQueue queue(10);
        auto first = events(0, 6);
        CHECK(queue.try_push_all(first));
        CHECK(first.empty());
        auto second = events(6, 5);
        CHECK_FALSE(queue.try_push_all(second));
        CHECK(second.size() == 5); // still the caller's, to retry
        auto stats = queue.statistics();
        CHECK(stats.refused_batches == 1);
        CHECK(stats.refused_events == 5);
        CHECK(stats.waiting == 6);
        auto quiet = events(6, 5);
        CHECK_FALSE(queue.try_push_all_quietly(quiet));
        CHECK(queue.statistics().refused_batches == 1);
        auto exact = events(6, 4);
        CHECK(queue.try_push_all(exact));
        CHECK(queue.statistics().waiting == 10);
    }

    TEST_CASE("audit queue: taken oldest first, at most the limit per take")
    {
        AuditQueue queue(100);
        auto batch = events(0, 7);
        REQUIRE(queue.try_push_all(batch));
        std::vector<AuditEvent> out;
        CHECK(queue.take(out, 4));
        REQUIRE(out.size() == 4);
        CHECK(out[0].audit_id == "0");
        CHECK(out[3].audit_id == "3");
        CHECK_FALSE(queue.take(out, 4));
        REQUIRE(out.size() == 3);
        CHECK(out[2].audit_id == "6");
        CHECK_FALSE(queue.take(out, 4));
        CHECK(out.empty());
        auto stats = queue.statistics();
        CHECK(stats.pushed == 7);
        CHECK(stats.taken == 7);
    }
}
