// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <unordered_set>

#include "profile/profile_key.hpp"

using namespace vigil_drift;

TEST_CASE("profile keys as text")
{
    ProfileKey key{"shop", "Deployment", "cart", "app", "api"};
    CHECK(key.text() == "shop/Deployment/cart/app");
    CHECK(ProfileKey::parse("shop/Deployment/cart/app") == key);

    ProfileKey odd{"ns", "Kind", "a/b%c", "x", "cgroup"};
    CHECK(odd.text() == "ns/Kind/a%2Fb%25c/x");
    auto parsed = ProfileKey::parse(odd.text());
    REQUIRE(parsed);
    CHECK(parsed->workload_name == "a/b%c");
    CHECK(*parsed == odd); // the source is not part of the identity
    CHECK(parsed->source == "api");

    CHECK_FALSE(ProfileKey::parse("shop/Deployment/cart"));
    CHECK_FALSE(ProfileKey::parse("a/b/c/d/e"));
    CHECK_FALSE(ProfileKey::parse("a/b/c%41/d"));
}

TEST_CASE("profile keys order and hash by their parts")
{
    ProfileKey a{"a", "Deployment", "x", "c", "api"};
    ProfileKey b{"b", "Deployment", "x", "c", "api"};
    CHECK(a < b);
    std::unordered_set<ProfileKey, ProfileKeyHash> keys{a, b, ProfileKey{"a", "Deployment", "x", "c", "cgroup"}};
    CHECK(keys.size() == 2);
}
