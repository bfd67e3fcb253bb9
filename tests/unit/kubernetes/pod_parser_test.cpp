// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/kubernetes/pod_parser.hpp"
#include "kubernetes/pod_json.hpp"

using namespace vigil::kubernetes;
using vigil::kubernetes::testing::deployment_pod;
using vigil::kubernetes::testing::hex_id;

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes pod parser: identity, node, service account, labels, owner and template hash")
    {
        std::vector<std::string> keys{"app", "app.kubernetes.io/name", "tier"};
        auto pod = parse_pod(deployment_pod(), keys);
        REQUIRE_MESSAGE(pod.has_value(), pod.error());
        CHECK(pod->uid == "uid-1");
        CHECK(pod->name == "web-7d4b9c-abcde");
        CHECK(pod->namespace_name == "shop");
        CHECK(pod->node == "node-1");
        CHECK(pod->service_account == "web-sa");
        // Only the configured keys, in the configured order; absent ones left out.
        CHECK(pod->labels == std::vector<std::pair<std::string, std::string>>{{"app", "web"}, {"tier", "front"}});
        CHECK(pod->owner_kind == "ReplicaSet");
        CHECK(pod->owner_name == "web-7d4b9c");
        CHECK(pod->template_hash == "7d4b9c");
    }

    TEST_CASE("kubernetes pod parser: container ids of init, regular and ephemeral containers")
    {
        auto pod = parse_pod(deployment_pod(), {});
        REQUIRE(pod.has_value());
        // Lower case, without the runtime prefix; a container still waiting has no id yet.
        CHECK(pod->container_ids == std::vector<std::string>{hex_id('a'), hex_id('b'), hex_id('c')});
    }

    TEST_CASE("kubernetes pod parser: DaemonSet and StatefulSet pods use controller-revision-hash")
    {
        auto object = deployment_pod();
        object["metadata"]["ownerReferences"] =
            nlohmann::json::parse(R"([{"kind": "DaemonSet", "name": "agent", "controller": true}])");
        object["metadata"]["labels"]["controller-revision-hash"] = "5f6c8d9";
        auto pod = parse_pod(object, {});
        REQUIRE(pod.has_value());
        CHECK(pod->owner_kind == "DaemonSet");
        CHECK(pod->workload_name == "agent");
        CHECK(pod->template_hash == "5f6c8d9");
    }

    TEST_CASE("kubernetes pod parser: a bare pod has no owner; malformed objects are errors")
    {
        auto object = deployment_pod();
        object["metadata"].erase("ownerReferences");
        object.erase("status");
        auto pod = parse_pod(object, {});
        REQUIRE(pod.has_value());
        CHECK(pod->owner_kind.empty());
        CHECK(pod->container_ids.empty());

        CHECK_FALSE(parse_pod(nlohmann::json::array(), {}).has_value());
        CHECK_FALSE(parse_pod(nlohmann::json::parse(R"({"metadata": {"name": "x"}})"), {}).has_value());
        CHECK_FALSE(parse_pod(nlohmann::json::parse(R"({"metadata": 3})"), {}).has_value());
        object["metadata"]["labels"] = "not an object";
        object["spec"] = 7;
        auto odd = parse_pod(object, std::vector<std::string>{"app"});
        REQUIRE(odd.has_value()); // wrong types of optional fields are ignored, not fatal
        CHECK(odd->labels.empty());
    }

    TEST_CASE("kubernetes pod parser: container id forms")
    {
        CHECK(container_id_from_status("containerd://" + hex_id('f')) == hex_id('f'));
        CHECK(container_id_from_status("docker://" + hex_id('1')) == hex_id('1'));
        CHECK_FALSE(container_id_from_status("").has_value());
        CHECK_FALSE(container_id_from_status(hex_id('1')).has_value());
        CHECK_FALSE(container_id_from_status("containerd://abc").has_value());
        CHECK_FALSE(container_id_from_status("containerd://" + std::string(64, 'g')).has_value());
    }
}
