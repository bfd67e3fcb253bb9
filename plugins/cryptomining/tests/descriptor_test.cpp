// SPDX-License-Identifier: Apache-2.0
// What the plugin declares, and the configuration it accepts: through the real cryptomining.so.
#include <algorithm>
#include <set>

#include <vigil/bpf/hooks.h>

#include "test_support.hpp"

using cryptomining_test::Sensor;
using cryptomining_test::strings;
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

TEST_CASE("the descriptor names the plugin, its ATT&CK coverage and the core events it reads")
{
    FakeHost host(CRYPTOMINING_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "cryptomining");
    CHECK(descriptor.kind == VIGIL_PLUGIN_DETECTOR);
    CHECK(ids(host.tactics()) == strings({"TA0040"}));
    CHECK(ids(host.techniques()) == strings({"T1496", "T1496.001"}));
    REQUIRE(descriptor.subscribed_kind_count == 2);
    std::set<uint16_t> kinds(descriptor.subscribed_kinds, descriptor.subscribed_kinds + 2);
    CHECK(kinds == std::set<uint16_t>{VIGIL_KIND_PROCESS_EXEC, VIGIL_KIND_CGROUP_REMOVED});
    const bool has_tick = descriptor.hooks->on_tick != nullptr;
    CHECK(has_tick);
}

TEST_CASE("the options and their defaults")
{
    FakeHost host(CRYPTOMINING_PLUGIN_PATH);
    CHECK(host.config_keys().size() == 10);
    for (const auto *key : host.config_keys()) {
        CAPTURE(key->name);
        CHECK(std::strlen(key->doc) > 10);
    }
    CHECK(std::get<bool>(host.option("containers_only")) == false);
    CHECK(std::get<double>(host.option("cpu_threshold_cores")) == doctest::Approx(0.9));
    CHECK(std::get<int64_t>(host.option("cpu_window_s")) == 40);
    CHECK(std::get<int64_t>(host.option("cpu_sample_interval_s")) == 5);
    CHECK(std::get<std::vector<std::string>>(host.option("pool_ports")) ==
          strings({"3333", "4444", "5555", "7777", "14433", "14444", "45700"}));
    const auto names = std::get<std::vector<std::string>>(host.option("miner_names"));
    for (auto name : {"xmrig", "xmr-stak", "minerd", "cpuminer", "ccminer", "cgminer", "bfgminer", "ethminer",
                      "nbminer", "t-rex", "phoenixminer", "lolminer", "teamredminer", "nanominer", "srbminer"}) {
        CAPTURE(name);
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
    }
    const auto domains = std::get<std::vector<std::string>>(host.option("pool_domains"));
    CHECK(std::find(domains.begin(), domains.end(), "*.supportxmr.com") != domains.end());
}

TEST_CASE("one BPF object with its ring, the connect stage, the send programs and their raw_tp fallback")
{
    FakeHost host(CRYPTOMINING_PLUGIN_PATH);
    REQUIRE(host.bpf_objects().size() == 1);
    const auto &object = *host.bpf_objects().front();
    CHECK(std::string_view(object.name) == "cryptomining");
    CHECK(object.elf_size > 0);
    CHECK(FakeHost::ring_buffers(object) == strings({"cryptomining_events"}));
    std::set<std::string> preferred;
    std::set<std::string> fallback;
    for (const auto *program : FakeHost::programs(object)) {
        CHECK(std::string_view(program->group) == "syscalls");
        (program->preference == 0 ? preferred : fallback).insert(program->name);
    }
    // connect and the sends to port 53 are stages of the core's dispatcher.
    CHECK(preferred == std::set<std::string>{"cryptomining_connect_enter", "cryptomining_dns_send"});
    CHECK(fallback == std::set<std::string>{"sys_enter_raw"});
}

TEST_CASE("configure_bpf hands the kernel side its filters")
{
    Sensor sensor;
    sensor.host.set_option_literal("containers_only", "true");
    sensor.host.set_option_literal("pool_ports", "[\"3333\", \"14444\"]");
    sensor.start();
    REQUIRE(sensor.host.configure_bpf() == 0);
    // containers_only is the SDK's vigil_watch_host, inverted: the dispatcher's host chain leaves the stage out.
    CHECK(sensor.host.constant<bool>("cryptomining", "vigil_watch_host") == false);
    CHECK(sensor.host.constant<uint32_t>("cryptomining", "pool_port_count") == 2u);
    auto ports = sensor.host.constant<std::array<uint16_t, CRYPTOMINING_MAX_POOL_PORTS>>("cryptomining", "pool_ports");
    REQUIRE(ports);
    CHECK((*ports)[0] == 3333);
    CHECK((*ports)[1] == 14444);
    CHECK((*ports)[2] == 0);
    CHECK(sensor.host.constant<bool>("cryptomining", "watch_dns") == true);
    // The core's dispatcher runs the connect stage for the pool ports and DNS only.
    CHECK(sensor.host.constant<uint32_t>("cryptomining", "vigil_connect_port_count") == 3u);
    auto wanted =
        sensor.host.constant<std::array<uint16_t, VIGIL_MAX_CONNECT_PORTS>>("cryptomining", "vigil_connect_ports");
    REQUIRE(wanted);
    CHECK(std::vector<uint16_t>(wanted->begin(), wanted->begin() + 3) == std::vector<uint16_t>{53, 3333, 14444});
    CHECK(sensor.host.constant<uint32_t>("cryptomining", "vigil_connect_address_count") == 0u);
    CHECK(sensor.host.problems().empty());
}

TEST_CASE("disabled rules switch their kernel filters off too")
{
    Sensor sensor;
    sensor.host.set_option_literal("disabled_rules", "[\"cryptomining.pool_connect\", \"cryptomining.pool_dns\"]");
    sensor.start();
    REQUIRE(sensor.host.configure_bpf() == 0);
    CHECK(sensor.host.constant<uint32_t>("cryptomining", "pool_port_count") == 0u);
    CHECK(sensor.host.constant<bool>("cryptomining", "watch_dns") == false);
    CHECK(sensor.host.constant<uint32_t>("cryptomining", "vigil_connect_port_count") == 0u); // no connect at all
    // By default (containers_only = false) the host is watched, by the dispatcher's stage as by the own programs.
    CHECK(sensor.host.constant<bool>("cryptomining", "vigil_watch_host") == true);
}

TEST_CASE("configuration errors refuse the plugin")
{
    const std::pair<const char *, const char *> bad[] = {
        {"pool_ports", "[\"0\"]"},
        {"pool_ports", "[\"70000\"]"},
        {"pool_ports", "[\"33a\"]"},
        {"pool_ports", "[\"53\"]"},
        {"pool_ports", "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\",\"14\","
                       "\"15\",\"16\",\"17\"]"},
        {"pool_domains", "[\"pool.*.org\"]"},
        {"disabled_rules", "[\"cryptomining.nothing\"]"},
        {"cpu_threshold_cores", "0.0"},
        {"cpu_sample_interval_s", "0"},
        {"cpu_window_s", "2"},
    };
    for (const auto &[key, literal] : bad) {
        CAPTURE(key);
        CAPTURE(literal);
        FakeHost host(CRYPTOMINING_PLUGIN_PATH);
        host.set_option_literal(key, literal);
        CHECK(host.start() != 0);
    }
}
