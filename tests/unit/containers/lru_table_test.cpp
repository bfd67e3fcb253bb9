// SPDX-License-Identifier: Apache-2.0
#include "core/containers/lru_table.hpp"

#include <doctest/doctest.h>

#include <string>

using vigil::containers::LruTable;

TEST_CASE("containers LRU table: never holds more than its capacity")
{
    LruTable<int, std::string> table(3);
    for (int key = 0; key < 10; ++key)
        table.insert_or_assign(key, std::to_string(key));
    CHECK(table.size() == 3);
    CHECK(table.full());
    CHECK(table.contains(7));
    CHECK(table.contains(8));
    CHECK(table.contains(9));
    CHECK_FALSE(table.contains(6));
}

TEST_CASE("containers LRU table: evicts the least recently used and returns it")
{
    LruTable<int, std::string> table(2);
    CHECK_FALSE(table.insert_or_assign(1, "one").has_value());
    CHECK_FALSE(table.insert_or_assign(2, "two").has_value());
    REQUIRE(table.find(1) != nullptr); // 2 is now the least recently used
    auto evicted = table.insert_or_assign(3, "three");
    REQUIRE(evicted.has_value());
    CHECK(evicted->first == 2);
    CHECK(evicted->second == "two");
    CHECK(*table.find(1) == "one");
    CHECK(*table.find(3) == "three");
}

TEST_CASE("containers LRU table: peek does not refresh, replacing does not evict")
{
    LruTable<int, std::string> table(2);
    table.insert_or_assign(1, "one");
    table.insert_or_assign(2, "two");
    CHECK(*table.peek(1) == "one");
    CHECK_FALSE(table.insert_or_assign(2, "deux").has_value());
    CHECK(table.size() == 2);
    auto evicted = table.insert_or_assign(3, "three");
    REQUIRE(evicted.has_value());
    CHECK(evicted->first == 1);
    CHECK(*table.peek(2) == "deux");
}

TEST_CASE("containers LRU table: erase, and a capacity of zero holds one")
{
    LruTable<int, int> table(0);
    CHECK(table.capacity() == 1);
    table.insert_or_assign(1, 10);
    CHECK(table.erase(1));
    CHECK_FALSE(table.erase(1));
    CHECK(table.size() == 0);
    CHECK(table.find(1) == nullptr);
}
