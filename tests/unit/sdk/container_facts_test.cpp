// SPDX-License-Identifier: Apache-2.0
// vigil::facts(): the ABI 1.7 fields of a container, read safely from any host.
#include <doctest/doctest.h>

#include <vigil/host.hpp>
#include <vigil/testing/fake_tables.hpp>

TEST_CASE("sdk container facts: a 1.7 host's fields, as the fake host's tables give them")
{
    vigil::testing::FakeTables tables;
    vigil::testing::FakeContainer container;
    container.cgroup_id = 9;
    container.name = "app";
    container.image = "registry.test/web:1.2";
    container.image_id = "registry.test/web@sha256:00";
    container.pod_namespace = "shop";
    container.pod_name = "web-1";
    container.workload_kind = "Deployment";
    container.workload_name = "web";
    container.template_hash = "7d4b9c";
    container.started_ns = 42;
    container.metadata_source = VIGIL_METADATA_API;
    container.existed_at_start = true;
    tables.add_container(container);

    auto facts = vigil::facts(tables.find_container(9));
    CHECK(facts.name == "app");
    CHECK(facts.image == "registry.test/web:1.2");
    CHECK(facts.image_id == "registry.test/web@sha256:00");
    CHECK(facts.pod_namespace == "shop");
    CHECK(facts.pod_name == "web-1");
    CHECK(facts.workload_kind == "Deployment");
    CHECK(facts.workload_name == "web");
    CHECK(facts.template_hash == "7d4b9c");
    CHECK(facts.started_ns == 42);
    CHECK(facts.metadata_source == VIGIL_METADATA_API);
    CHECK(facts.existed_at_start);
}

TEST_CASE("sdk container facts: empty from an older host, and for no container")
{
    vigil_container old{};
    old.struct_size = VIGIL_CONTAINER_SIZE_1_0;
    old.id = "abc";
    // Bytes past struct_size are never read, whatever they hold.
    old.name = "garbage";
    old.metadata_source = VIGIL_METADATA_API;
    auto facts = vigil::facts(&old);
    CHECK(facts.name.empty());
    CHECK(facts.metadata_source == 0);
    CHECK(vigil::facts(nullptr).pod_name.empty());
}
