// SPDX-License-Identifier: Apache-2.0
// What the plugin declares, its options, and the tables it hands the kernel side.
#include <algorithm>
#include <set>
#include <string_view>

#include <vigil/bpf/hooks.h>

#include "test_support.hpp"

using lateral_movement_test::Sensor;
using lateral_movement_test::strings;
using vigil::testing::FakeHost;

namespace {

std::vector<std::string> ids(const std::vector<const vigil_attack_ref *> &refs)
{
    std::vector<std::string> out;
    for (const auto *ref : refs) {
        out.emplace_back(ref->id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("the descriptor names the plugin and its ATT&CK coverage")
{
    FakeHost host(LATERAL_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "lateral_movement");
    CHECK(descriptor.kind == VIGIL_PLUGIN_DETECTOR);
    CHECK(ids(host.tactics()) == strings({"TA0006", "TA0007", "TA0008"}));
    CHECK(ids(host.techniques()) == strings({"T1550.001", "T1552.005", "T1552.007", "T1613"}));
    CHECK(descriptor.subscribed_kind_count == 0);
}

TEST_CASE("the options and their defaults")
{
    FakeHost host(LATERAL_PLUGIN_PATH); // also parses every default
    CHECK(host.config_keys().size() == 10);
    for (const auto *key : host.config_keys()) {
        CHECK(std::strlen(key->doc) > 10);
    }
    CHECK(std::get<std::vector<std::string>>(host.option("token_paths")).size() == 4);
    CHECK(std::get<std::vector<std::string>>(host.option("known_api_clients")).empty());
    CHECK(std::get<std::vector<std::string>>(host.option("api_server_endpoints")).empty());
    CHECK(std::get<bool>(host.option("api_server_from_environment")) == true);
    CHECK(std::get<std::vector<std::string>>(host.option("kubelet_endpoints")) == strings({":10250", ":10255"}));
    CHECK(std::get<std::vector<std::string>>(host.option("etcd_endpoints")) == strings({":2379", ":2380"}));
    CHECK(std::get<std::vector<std::string>>(host.option("metadata_endpoints")) ==
          strings({"169.254.169.254", "[fd00:ec2::254]"}));
    CHECK(std::get<int64_t>(host.option("correlation_window_s")) == 300);
    CHECK(std::get<int64_t>(host.option("correlation_capacity")) == 256);
    CHECK(std::get<std::vector<std::string>>(host.option("disabled_rules")).empty());
}

TEST_CASE("one BPF object: its ring, its dispatcher stages, and their raw_tp fallback")
{
    FakeHost host(LATERAL_PLUGIN_PATH);
    REQUIRE(host.bpf_objects().size() == 1);
    const auto &object = *host.bpf_objects()[0];
    CHECK(std::string_view(object.name) == "lateral_movement");
    CHECK(FakeHost::ring_buffers(object) == strings({"lateral_events"}));
    std::set<std::string> preferred;
    std::set<std::string> fallback;
    for (const auto *program : FakeHost::programs(object)) {
        CHECK(std::string_view(program->group) == "syscalls");
        (program->preference == 0 ? preferred : fallback).insert(program->name);
    }
    // Stages in the core dispatcher's open_enter (open, openat, openat2) and connect_enter chains.
    CHECK(preferred == std::set<std::string>{"lateral_open_enter", "lateral_connect_enter"});
    CHECK(fallback == std::set<std::string>{"sys_enter_raw"});
}

TEST_CASE("the kernel's tables: endpoints and token prefixes")
{
    Sensor sensor;
    sensor.start();
    REQUIRE(sensor.host.configure_bpf() == 0);
    CHECK(sensor.alerts().empty()); // and no problems
    // 10.96.0.1:443, :10250, :10255, :2379, :2380, 169.254.169.254, [fd00:ec2::254]
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "watched_endpoint_count") == 7u);
    auto endpoints = sensor.host.constant<std::array<lateral_endpoint, LATERAL_MAX_ENDPOINTS>>("lateral_movement",
                                                                                               "watched_endpoints");
    REQUIRE(endpoints.has_value());
    CHECK((*endpoints)[0].family == LATERAL_AF_INET);
    CHECK((*endpoints)[0].port == 443);
    CHECK((*endpoints)[0].address[0] == 10);
    CHECK((*endpoints)[1].family == 0);
    CHECK((*endpoints)[1].port == 10250);
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "token_prefix_count") == 2u);
    auto prefixes = sensor.host.constants().at("lateral_movement.token_prefixes");
    CHECK(prefixes.size() == LATERAL_MAX_PREFIXES * LATERAL_PREFIX_SIZE);
    CHECK(std::string(reinterpret_cast<const char *>(prefixes.data())) == "/run/secrets/kubernetes.io/serviceaccount/");
    CHECK(sensor.host.constant<bool>("lateral_movement", "watch_token_opens") == true);
    // The core's dispatcher runs the open stage for the prefixes' first directories and odd paths only.
    CHECK(sensor.host.constant<bool>("lateral_movement", "vigil_open_filtered") == true);
    CHECK(sensor.host.constant<uint64_t>("lateral_movement", "vigil_open_flags") == 0u);
    CHECK(sensor.host.constant<bool>("lateral_movement", "vigil_open_odd_paths") == true);
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "vigil_open_head_count") == 2u);
    auto heads = sensor.host.constants().at("lateral_movement.vigil_open_heads");
    CHECK(std::string(reinterpret_cast<const char *>(heads.data()), 5) == "/run/");
    CHECK(std::string(reinterpret_cast<const char *>(heads.data()) + VIGIL_OPEN_HEAD_SIZE, 5) == "/var/");
}

TEST_CASE("the core's dispatcher runs the connect stage only for watched ports and addresses")
{
    Sensor sensor;
    sensor.start();
    REQUIRE(sensor.host.configure_bpf() == 0);
    // Sorted ports of the endpoints that name one; the metadata addresses, which are any port.
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "vigil_connect_port_count") == 5u);
    auto ports =
        sensor.host.constant<std::array<uint16_t, VIGIL_MAX_CONNECT_PORTS>>("lateral_movement", "vigil_connect_ports");
    REQUIRE(ports.has_value());
    CHECK(std::vector<uint16_t>(ports->begin(), ports->begin() + 5) ==
          std::vector<uint16_t>{443, 2379, 2380, 10250, 10255});
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "vigil_connect_address_count") == 2u);
    auto addresses = sensor.host.constant<std::array<vigil_connect_address, VIGIL_MAX_CONNECT_ADDRESSES>>(
        "lateral_movement", "vigil_connect_addresses");
    REQUIRE(addresses.has_value());
    CHECK((*addresses)[0].family == LATERAL_AF_INET);
    CHECK((*addresses)[0].address[0] == 169);
    CHECK((*addresses)[1].family == LATERAL_AF_INET6);
}

TEST_CASE("no token rule, no open watching")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules",
                           strings({"lateral_movement.token_read", "lateral_movement.token_then_api_connect"}));
    sensor.start();
    REQUIRE(sensor.host.configure_bpf() == 0);
    CHECK(sensor.host.constant<bool>("lateral_movement", "watch_token_opens") == false);
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "token_prefix_count") == 0u);
    // No open at all for the open stage.
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "vigil_open_head_count") == 0u);
    CHECK(sensor.host.constant<bool>("lateral_movement", "vigil_open_odd_paths") == false);
    CHECK(sensor.host.constant<uint64_t>("lateral_movement", "vigil_open_flags") == 0u);
}

TEST_CASE("configuration errors are refused at init")
{
    auto refused = [](const char *key, vigil::testing::OptionValue value) {
        FakeHost host(LATERAL_PLUGIN_PATH);
        host.set_option(key, std::move(value));
        return host.start() != 0;
    };
    CHECK(refused("disabled_rules", strings({"lateral_movement.nope"})));
    CHECK(refused("api_server_endpoints", strings({"kubernetes.default.svc:443"})));
    CHECK(refused("kubelet_endpoints", strings({":0"})));
    CHECK(refused("token_paths", strings({"*/token"})));
    CHECK(refused("token_paths", strings({"/a/token", "/b/token", "/c/token", "/d/token", "/e/token"})));
    CHECK(refused("correlation_window_s", int64_t{0}));
    CHECK(refused("correlation_capacity", int64_t{1}));
    std::vector<std::string> many;
    for (int port = 1; port <= 20; ++port) {
        many.push_back(":" + std::to_string(port));
    }
    CHECK(refused("etcd_endpoints", many));
}
