// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/kubernetes/pod_cache.hpp"
#include "kubernetes/pod_json.hpp"

using namespace vigil::kubernetes;
using vigil::kubernetes::testing::hex_id;

namespace {

PodMetadata pod(const std::string &uid, std::vector<std::string> containers = {})
{
    PodMetadata metadata;
    metadata.uid = uid;
    metadata.name = "pod-" + uid;
    metadata.container_ids = std::move(containers);
    return metadata;
}

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes pod cache: lookups by container id, then by pod UID")
    {
        PodCache cache(10, 100);
        auto before = cache.version();
        cache.upsert(pod("a", {hex_id('1'), hex_id('2')}), 1);
        CHECK(cache.version() != before);
        CHECK(cache.find(hex_id('2'), "")->uid == "a");
        CHECK(cache.find(hex_id('9'), "a")->uid == "a"); // container not in the status yet: the cgroup's pod UID
        CHECK(cache.find(hex_id('9'), "b") == nullptr);
        CHECK(cache.find("", "") == nullptr);

        // A container restarted under a new id: the old one no longer leads to the pod.
        cache.upsert(pod("a", {hex_id('3')}), 2);
        CHECK(cache.find(hex_id('1'), "") == nullptr);
        CHECK(cache.find(hex_id('3'), "")->uid == "a");
        CHECK(cache.size() == 1);
    }

    TEST_CASE("kubernetes pod cache: bounded, deleted pods evicted first, then the oldest")
    {
        PodCache cache(3, 1'000'000);
        cache.upsert(pod("a", {hex_id('a')}), 1);
        cache.upsert(pod("b"), 2);
        cache.upsert(pod("c"), 3);
        cache.remove("b", 4);
        cache.upsert(pod("d"), 5); // b was deleted: it goes
        CHECK(cache.size() == 3);
        CHECK(cache.find("", "b") == nullptr);
        cache.upsert(pod("e"), 6); // none deleted: a, the oldest, goes
        CHECK(cache.find(hex_id('a'), "a") == nullptr);
        CHECK(cache.find("", "c") != nullptr);
        CHECK(cache.evictions() == 2);
        CHECK(cache.size() == 3);
    }

    TEST_CASE("kubernetes pod cache: a reader keeps its pod after it is replaced")
    {
        PodCache cache(4, 10);
        cache.upsert(pod("a"), 1);
        auto held = cache.find("", "a");
        cache.remove("a", 2);
        cache.upsert(pod("b"), 100);
        CHECK(cache.find("", "a") == nullptr);
        CHECK(held->name == "pod-a");
    }
}
