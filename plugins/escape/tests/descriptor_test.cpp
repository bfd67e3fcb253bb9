// SPDX-License-Identifier: Apache-2.0
// What the plugin declares: checked through the real escape.so.
#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include "test_support.hpp"

using escape_test::Sensor;
using escape_test::strings;
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
    FakeHost host(ESCAPE_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "escape");
    CHECK(descriptor.kind == VIGIL_PLUGIN_DETECTOR);
    CHECK(descriptor.abi_major == VIGIL_ABI_MAJOR);
    CHECK(ids(host.tactics()) == strings({"TA0003", "TA0004"}));
    CHECK(ids(host.techniques()) == strings({"T1547.006", "T1611"}));
    REQUIRE(descriptor.subscribed_kind_count == 2);
    CHECK(descriptor.subscribed_kinds[0] == VIGIL_KIND_PROCESS_EXEC);
    CHECK(descriptor.subscribed_kinds[1] == VIGIL_KIND_CGROUP_CREATED);
}

TEST_CASE("the BPF programs: every syscall job has a raw_tp fallback")
{
    FakeHost host(ESCAPE_PLUGIN_PATH);
    auto objects = host.bpf_objects();
    REQUIRE(objects.size() == 1);
    CHECK(FakeHost::ring_buffers(*objects[0]) == strings({"escape_events"}));
    std::set<std::string> groups_with_fallback;
    std::set<std::string> groups;
    for (const auto *program : FakeHost::programs(*objects[0])) {
        REQUIRE(program->group != nullptr);
        groups.insert(program->group);
        if (program->preference == 1) {
            groups_with_fallback.insert(program->group);
        }
    }
    CHECK(groups == std::set<std::string>{"syscalls", "modules", "setup"});
    CHECK(groups_with_fallback == groups);
}

TEST_CASE("the opens are stages of the core's open hooks, in the syscalls group")
{
    FakeHost host(ESCAPE_PLUGIN_PATH);
    auto objects = host.bpf_objects();
    REQUIRE(objects.size() == 1);
    const std::string_view elf(static_cast<const char *>(objects[0]->elf), objects[0]->elf_size);
    std::set<std::string> stages;
    std::set<std::string> names;
    for (const auto *program : FakeHost::programs(*objects[0])) {
        names.insert(program->name);
        if (std::string_view(program->name).starts_with("escape_open_")) {
            CHECK(std::string_view(program->group) == "syscalls");
            CHECK(program->preference == 0);
            stages.insert(program->name);
        }
    }
    CHECK(stages == std::set<std::string>{"escape_open_enter", "escape_open_exit"});
    CHECK(elf.find("tp/vigil/open_enter") != std::string_view::npos);
    CHECK(elf.find("tp/vigil/open_exit") != std::string_view::npos);
    // The fallback keeps its names: the sensor's log and the integration tests use them.
    CHECK(names.count("sys_enter_raw") == 1);
    CHECK(names.count("sys_exit_raw") == 1);
    CHECK(names.count("openat_enter") == 0);
}

TEST_CASE("the options and their defaults")
{
    FakeHost host(ESCAPE_PLUGIN_PATH);
    std::vector<std::string> names;
    for (const auto *key : host.config_keys()) {
        names.emplace_back(key->name);
        CHECK(std::string_view(key->doc).size() > 20);
    }
    CHECK(names == strings({"allowed_mount_executables", "allowed_bpf_executables", "userns_window_s", "disabled_rules",
                            "module_attempts_on_every_syscall"}));
    CHECK(std::get<int64_t>(host.option("userns_window_s")) == 10);
    CHECK_FALSE(std::get<bool>(host.option("module_attempts_on_every_syscall")));
}

TEST_CASE("bad options refuse the plugin")
{
    {
        FakeHost host(ESCAPE_PLUGIN_PATH);
        host.set_option_literal("disabled_rules", "[\"escape.no_such_rule\"]");
        CHECK(host.start() != 0);
    }
    {
        FakeHost host(ESCAPE_PLUGIN_PATH);
        host.set_option_literal("userns_window_s", "0");
        CHECK(host.start() != 0);
    }
}

TEST_CASE("records too short for their kind are counted, not read")
{
    Sensor sensor;
    sensor.start();
    auto header = sensor.host.header_for(escape_test::attacker, ESCAPE_KIND_MOUNT, sizeof(vigil_event_header));
    sensor.host.deliver(header);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("escape_malformed_records") == 1);
}
