// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include <vigil/abi_support.hpp>

#include "core/plugins/plugin_host_api.hpp"

using namespace vigil::plugins;

namespace {

vigil_process make_process(uint32_t tgid)
{
    vigil_process process{};
    process.struct_size = sizeof(process);
    process.tgid = tgid;
    return process;
}

// HostServices that records what reached it, and can be told to throw.
class RecordingServices : public HostServices {
public:
    int emit_alert(const std::string &plugin, const vigil_alert_request &request) override
    {
        last_plugin = plugin;
        last_rule = request.rule;
        return 0;
    }
    const vigil_process *find_process(uint32_t tgid) override
    {
        if (throw_on_lookup) {
            throw std::runtime_error("table unavailable");
        }
        return tgid == process.tgid ? &process : nullptr;
    }
    uint32_t process_ancestry(uint32_t, const vigil_process **, uint32_t) override { return 0; }
    const vigil_container *find_container(uint64_t) override { return nullptr; }
    const vigil_process *find_process_in_namespace(uint32_t, uint32_t) override { return nullptr; }
    const vigil_host_info *host_info() override { return &info; }
    uint32_t metric_register(const std::string &name, const std::string &) override
    {
        last_metric = name;
        return 7;
    }
    void metric_add(uint32_t, uint64_t) override {}
    std::string state_directory(const std::string &plugin) override
    {
        ++state_directory_calls;
        if (throw_on_lookup) {
            throw std::runtime_error("disk unavailable");
        }
        return "/var/lib/vigil/" + plugin;
    }
    uint64_t records_lost() override { return lost; }

    vigil_process process = make_process(42);
    vigil_host_info info{sizeof(vigil_host_info), "node-a", "/host/proc", "/sys/fs/cgroup", 11, 12, 13, 5000};
    int state_directory_calls = 0;
    uint64_t lost = 0;
    bool throw_on_lookup = false;
    std::string last_plugin, last_rule, last_metric;
};

} // namespace

TEST_CASE("plugin host API: calls reach the services under the plugin's name")
{
    RecordingServices services;
    PluginHostApi host("escape", services);
    const auto *api = host.api();
    REQUIRE(api->struct_size == sizeof(vigil_host_api));
    CHECK(api->abi_major == VIGIL_ABI_MAJOR);
    CHECK(api->abi_minor == VIGIL_ABI_MINOR);

    vigil_alert_request request{};
    request.struct_size = sizeof(request);
    request.rule = "escape.release_agent_write";
    CHECK(api->emit_alert(api->context, &request) == 0);
    CHECK(services.last_plugin == "escape");
    CHECK(services.last_rule == "escape.release_agent_write");

    CHECK(api->metric_register(api->context, "opens", "help") == 7);
    CHECK(services.last_metric == "escape_opens");
    CHECK(api->find_process(api->context, 42) == &services.process);
}

TEST_CASE("plugin host API 1.1: host_info gives the node's paths and namespaces")
{
    RecordingServices services;
    PluginHostApi host("cryptomining", services);
    const auto *api = host.api();
    REQUIRE(VIGIL_HAS_FIELD(api, vigil_host_api, host_info));
    bool has_host_info = api->host_info != nullptr;
    REQUIRE(has_host_info);
    const auto *info = api->host_info(api->context);
    REQUIRE(info != nullptr);
    CHECK(std::string(info->node_name) == "node-a");
    CHECK(std::string(info->proc_root) == "/host/proc");
    CHECK(std::string(info->cgroup2_root) == "/sys/fs/cgroup");
    CHECK(info->mnt_ns == 11);
    CHECK(info->pid_ns == 12);
    CHECK(info->net_ns == 13);
    REQUIRE(VIGIL_HAS_FIELD(info, vigil_host_info, started_ns));
    CHECK(info->started_ns == 5000);
}

TEST_CASE("plugin host API 1.7: the plugin's state directory, asked once, and the records lost")
{
    RecordingServices services;
    PluginHostApi host("drift", services);
    const auto *api = host.api();
    REQUIRE(VIGIL_HAS_FIELD(api, vigil_host_api, records_lost));
    const char *first = api->state_directory(api->context);
    CHECK(std::string(first) == "/var/lib/vigil/drift");
    // Created on the first call only; the same pointer stays valid until destroy.
    CHECK(api->state_directory(api->context) == first);
    CHECK(services.state_directory_calls == 1);

    CHECK(api->records_lost(api->context) == 0);
    services.lost = 17;
    CHECK(api->records_lost(api->context) == 17);
}

TEST_CASE("plugin host API 1.7: a state directory the sensor cannot give is \"\", never NULL")
{
    RecordingServices services;
    services.throw_on_lookup = true;
    PluginHostApi host("drift", services);
    const auto *api = host.api();
    const char *directory = api->state_directory(api->context);
    REQUIRE(directory != nullptr);
    CHECK(std::string(directory).empty());
}

TEST_CASE("plugin host API: an exception in the sensor never reaches the plugin")
{
    RecordingServices services;
    services.throw_on_lookup = true;
    PluginHostApi host("injection", services);
    const auto *api = host.api();
    CHECK(api->find_process(api->context, 42) == nullptr);
    CHECK(api->emit_alert(api->context, nullptr) < 0);
}
