// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <vigil/detector.hpp>

#include "core/plugins/plugin_descriptor.hpp"

using namespace vigil::plugins;

namespace {

class Nothing final : public vigil::Detector {
public:
    Nothing(vigil::Host host, const vigil::Config &) : Detector(host) {}
    void on_event(const vigil::Event &) override {}
};

constexpr vigil_attack_ref tactics[] = {vigil::attack::TA0005};
constexpr vigil_attack_ref techniques[] = {vigil::attack::T1055_008};
constexpr vigil_config_key keys[] = {
    vigil::config_key("containers_only", VIGIL_CONFIG_BOOL, "false", "watch containers only")};

vigil_plugin_descriptor good_descriptor()
{
    return vigil::describe_detector<Nothing>({
        .name = "sample",
        .version = "1.2.3",
        .description = "a sample",
        .tactics = tactics,
        .techniques = techniques,
        .config_keys = keys,
    });
}

} // namespace

TEST_CASE("plugin descriptor: a well-formed descriptor is read completely")
{
    auto raw = good_descriptor();
    auto descriptor = read_descriptor(&raw);
    REQUIRE(descriptor.has_value());
    CHECK(descriptor->name == "sample");
    CHECK(descriptor->version == "1.2.3");
    CHECK(descriptor->kind == VIGIL_PLUGIN_DETECTOR);
    REQUIRE(descriptor->techniques.size() == 1);
    CHECK(std::string(descriptor->techniques[0].id) == "T1055.008");
    REQUIRE(descriptor->config_keys.size() == 1);
    CHECK(std::string(descriptor->config_keys[0].name) == "containers_only");
}

TEST_CASE("plugin descriptor: the ABI major is checked before anything else")
{
    auto raw = good_descriptor();
    raw.abi_major = VIGIL_ABI_MAJOR + 1;
    raw.hooks = nullptr; // must not matter: nothing past the version is read
    auto descriptor = read_descriptor(&raw);
    REQUIRE_FALSE(descriptor.has_value());
    CHECK(descriptor.error().find("ABI " + std::to_string(VIGIL_ABI_MAJOR + 1)) != std::string::npos);
}

TEST_CASE("plugin descriptor: refusals name what is wrong")
{
    CHECK_FALSE(read_descriptor(nullptr).has_value());

    auto tiny = good_descriptor();
    tiny.struct_size = 4;
    CHECK(read_descriptor(&tiny).error().find("too small") != std::string::npos);

    auto bad_name = good_descriptor();
    bad_name.name = "Bad-Name";
    CHECK(read_descriptor(&bad_name).error().find("name") != std::string::npos);

    auto bad_kind = good_descriptor();
    bad_kind.kind = 7;
    CHECK(read_descriptor(&bad_kind).error().find("kind") != std::string::npos);

    auto no_hooks = good_descriptor();
    no_hooks.hooks = nullptr;
    CHECK(read_descriptor(&no_hooks).error().find("hooks") != std::string::npos);

    auto lying_count = good_descriptor();
    lying_count.techniques = nullptr;
    CHECK(read_descriptor(&lying_count).error().find("NULL") != std::string::npos);

    vigil_plugin_hooks incomplete = *good_descriptor().hooks;
    incomplete.on_event = nullptr;
    auto detector_without_on_event = good_descriptor();
    detector_without_on_event.hooks = &incomplete;
    CHECK(read_descriptor(&detector_without_on_event).error().find("on_event") != std::string::npos);
}

TEST_CASE("plugin descriptor: an older minor's smaller structs read as zero past their end")
{
    auto raw = good_descriptor();
    // As if built before bpf_objects and hooks existed: the sensor must not read them.
    raw.struct_size = static_cast<uint32_t>(offsetof(vigil_plugin_descriptor, bpf_objects));
    auto descriptor = read_descriptor(&raw);
    REQUIRE_FALSE(descriptor.has_value()); // hooks are required, and this one has none
    CHECK(descriptor.error().find("hooks") != std::string::npos);
}
