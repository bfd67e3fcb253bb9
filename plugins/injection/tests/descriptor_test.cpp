// SPDX-License-Identifier: Apache-2.0
// What the plugin declares: checked through the real injection.so.
#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include <fcntl.h>

#include "test_support.hpp"

using injection_test::Sensor;
using injection_test::strings;
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
    FakeHost host(INJECTION_PLUGIN_PATH);
    const auto &descriptor = host.descriptor();
    CHECK(std::string_view(descriptor.name) == "injection");
    CHECK(std::string_view(descriptor.version) == "0.1.0");
    CHECK(descriptor.kind == VIGIL_PLUGIN_DETECTOR);
    CHECK(descriptor.abi_major == VIGIL_ABI_MAJOR);
    CHECK(std::strlen(descriptor.description) > 20);
    CHECK(ids(host.tactics()) == strings({"TA0003", "TA0004", "TA0005"}));
    CHECK(ids(host.techniques()) == strings({"T1055", "T1055.008", "T1055.009", "T1574.006", "T1620"}));
    for (const auto *ref : host.tactics()) {
        CHECK(std::strlen(ref->name) > 0);
    }
    CHECK(descriptor.subscribed_kind_count == 0); // its own ring is all it reads
    const bool has_on_event = descriptor.hooks->on_event != nullptr;
    const bool has_configure_bpf = descriptor.hooks->configure_bpf != nullptr;
    CHECK(has_on_event);
    CHECK(has_configure_bpf);
}

TEST_CASE("the options, their types and their defaults")
{
    FakeHost host(INJECTION_PLUGIN_PATH); // also parses every default
    struct Expected {
        const char *name;
        vigil_config_type type;
    };
    const Expected expected[] = {
        {"containers_only", VIGIL_CONFIG_BOOL},
        {"allowed_tracers", VIGIL_CONFIG_STRING_LIST},
        {"allowed_preload_libraries", VIGIL_CONFIG_STRING_LIST},
        {"allowed_memfd_names", VIGIL_CONFIG_STRING_LIST},
        {"disabled_rules", VIGIL_CONFIG_STRING_LIST},
    };
    CHECK(host.config_keys().size() == std::size(expected));
    for (const auto &want : expected) {
        CAPTURE(want.name);
        const auto *key = host.config_key(want.name);
        REQUIRE(key != nullptr);
        CHECK(key->type == static_cast<uint32_t>(want.type));
        CHECK(std::strlen(key->doc) > 10);
    }
    CHECK(std::get<bool>(host.option("containers_only")) == false);
    CHECK(std::get<std::vector<std::string>>(host.option("allowed_tracers")).empty());
    CHECK(std::get<std::vector<std::string>>(host.option("allowed_preload_libraries")).empty());
    CHECK(std::get<std::vector<std::string>>(host.option("allowed_memfd_names")) ==
          strings({"runc_cloned:/proc/self/exe"}));
    CHECK(std::get<std::vector<std::string>>(host.option("disabled_rules")).empty());
}

TEST_CASE("one BPF object: its ring, its programs and their fallback groups")
{
    FakeHost host(INJECTION_PLUGIN_PATH);
    auto objects = host.bpf_objects();
    REQUIRE(objects.size() == 1);
    const auto &object = *objects[0];
    CHECK(std::string_view(object.name) == "injection");
    REQUIRE(object.elf_size > 4);
    CHECK(std::memcmp(object.elf,
                      "\x7f"
                      "ELF",
                      4) == 0);
    CHECK(FakeHost::ring_buffers(object) == strings({"injection_events"}));

    struct Expected {
        const char *name;
        const char *group;
        uint32_t preference;
    };
    std::vector<Expected> expected{
        {"ptrace_enter", "syscalls", 0},
        {"ptrace_exit", "syscalls", 0},
        {"vm_writev_enter", "syscalls", 0},
        {"vm_writev_exit", "syscalls", 0},
        {"injection_open_enter", "syscalls", 0}, // stages of the core's open and execve hooks
        {"injection_execve_enter", "syscalls", 0},
        {"injection_execve_exit", "syscalls", 0},
        {"sys_enter_raw", "syscalls", 1},
        {"sys_exit_raw", "syscalls", 1},
        {"exec_tp", "exec", 0},
        {"exec_btf", "exec", 1},
    };
    auto programs = FakeHost::programs(object);
    CHECK(programs.size() == expected.size());
    const std::string_view elf(static_cast<const char *>(object.elf), object.elf_size);
    for (const auto &want : expected) {
        CAPTURE(want.name);
        auto found = std::find_if(programs.begin(), programs.end(), [&](const vigil_bpf_program *program) {
            return std::string_view(program->name) == want.name;
        });
        REQUIRE(found != programs.end());
        CHECK(std::string_view((*found)->group) == want.group);
        CHECK((*found)->preference == want.preference);
        CHECK((*found)->flags == 0);                          // every one is needed, or its alternative
        CHECK(elf.find(want.name) != std::string_view::npos); // and the object really has it
    }
}

TEST_CASE("configure_bpf passes containers_only to the kernel side, as vigil_watch_host")
{
    SUBCASE("off by default: host tasks are watched")
    {
        Sensor sensor;
        sensor.start();
        REQUIRE(sensor.host.configure_bpf() == 0);
        CHECK(sensor.host.constant<bool>("injection", "vigil_watch_host") == true);
        // The core's dispatcher runs the open stage for write-opens only.
        CHECK(sensor.host.constant<bool>("injection", "vigil_open_filtered") == true);
        CHECK(sensor.host.constant<uint64_t>("injection", "vigil_open_flags") == uint64_t{O_WRONLY | O_RDWR});
        CHECK(sensor.host.constant<uint32_t>("injection", "vigil_open_head_count") == 0u);
        CHECK(sensor.host.constant<bool>("injection", "vigil_open_odd_paths") == false);
    }
    SUBCASE("on when configured: containers only")
    {
        Sensor sensor;
        sensor.host.set_option("containers_only", true);
        sensor.start();
        REQUIRE(sensor.host.configure_bpf() == 0);
        CHECK(sensor.host.constant<bool>("injection", "vigil_watch_host") == false);
        CHECK(sensor.host.problems().empty());
    }
}

TEST_CASE("the kernel side has the constants configure_bpf sets")
{
    FakeHost host(INJECTION_PLUGIN_PATH);
    auto objects = host.bpf_objects();
    REQUIRE(objects.size() == 1);
    const std::string_view elf(static_cast<const char *>(objects[0]->elf), objects[0]->elf_size);
    CHECK(elf.find("vigil_watch_host") != std::string_view::npos);
    CHECK(elf.find("containers_only") == std::string_view::npos);
}

TEST_CASE("an unknown rule in disabled_rules refuses the configuration")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules", strings({"injection.no_such_rule"}));
    CHECK(sensor.host.start() != 0);
    REQUIRE(!sensor.host.logs().empty());
    CHECK(sensor.host.logs().back().message.find("injection.no_such_rule") != std::string::npos);
}

TEST_CASE("records too short for their kind are counted and ignored")
{
    Sensor sensor;
    sensor.start();
    auto record = sensor.ptrace(injection_test::attacker, INJECTION_PTRACE_ATTACH, injection_test::victim_ns_pid);
    std::vector<unsigned char> truncated(sizeof(record) - 8);
    std::memcpy(truncated.data(), &record, truncated.size());
    CHECK(sensor.host.deliver_bytes(truncated) == 0);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("injection_malformed_records") == 1);

    // A kind that is not the plugin's is no concern of it.
    CHECK(sensor.host.deliver_payload(VIGIL_KIND_PROCESS_EXIT, injection_test::attacker, {}) == 0);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("injection_malformed_records") == 1);
}
