// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "core/alerts/rendered_alert.hpp"
#include "core/delivery/spooled_alert.hpp"

using vigil::alerts::Alert;
using vigil::alerts::RenderedAlert;
using vigil::delivery::encode_spooled_alert;
using vigil::delivery::SpooledAlert;

namespace {

Alert full_alert()
{
    Alert alert;
    alert.time_unix_ns = 1'700'000'000'123'456'789ULL;
    alert.rule = "injection.ptrace_attach";
    alert.plugin = "injection";
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "ptrace attach to a process of another program \xe2\x80\x94 with \"quotes\"";
    alert.tactics = {{"TA0005", "Defense Evasion"}, {"TA0004", "Privilege Escalation"}};
    alert.techniques = {{"T1055.008", "Ptrace System Calls"}};
    alert.process = vigil::alerts::ProcessContext{4321, 4322, 0, 0, "/injector", "/injector ptrace attach", {}};
    alert.container = vigil::alerts::ContainerContext{std::string(64, 'a'), "containerd"};
    alert.k8s.node = "node-1";
    alert.k8s.pod_uid = "0f0e-uid";
    alert.repeat = vigil::alerts::Repeat{9, 1, 2};
    return alert;
}

void check_same(const vigil_alert &decoded, const vigil_alert &original)
{
    CHECK(decoded.struct_size == sizeof(vigil_alert));
    CHECK(std::string_view(decoded.json, decoded.json_size) == std::string_view(original.json, original.json_size));
    CHECK(decoded.json[decoded.json_size] == '\0');
    CHECK(std::string_view(decoded.rule) == original.rule);
    CHECK(std::string_view(decoded.plugin) == original.plugin);
    CHECK(std::string_view(decoded.summary) == original.summary);
    CHECK(decoded.severity == original.severity);
    CHECK(decoded.time_unix_ns == original.time_unix_ns);
    REQUIRE(decoded.tactic_count == original.tactic_count);
    for (uint32_t index = 0; index < decoded.tactic_count; ++index) {
        CHECK(decoded.tactics[index].struct_size == sizeof(vigil_attack_ref));
        CHECK(std::string_view(decoded.tactics[index].id) == original.tactics[index].id);
        CHECK(std::string_view(decoded.tactics[index].name) == original.tactics[index].name);
    }
    REQUIRE(decoded.technique_count == original.technique_count);
    for (uint32_t index = 0; index < decoded.technique_count; ++index) {
        CHECK(std::string_view(decoded.techniques[index].id) == original.techniques[index].id);
        CHECK(std::string_view(decoded.techniques[index].name) == original.techniques[index].name);
    }
    CHECK(decoded.pid == original.pid);
    CHECK(std::string_view(decoded.exe) == original.exe);
    CHECK((decoded.container_id == nullptr) == (original.container_id == nullptr));
    if (decoded.container_id != nullptr && original.container_id != nullptr) {
        CHECK(std::string_view(decoded.container_id) == original.container_id);
    }
    CHECK((decoded.pod_uid == nullptr) == (original.pod_uid == nullptr));
    if (decoded.pod_uid != nullptr && original.pod_uid != nullptr) {
        CHECK(std::string_view(decoded.pod_uid) == original.pod_uid);
    }
    CHECK(std::string_view(decoded.node) == original.node);
    CHECK(decoded.repeat_count == original.repeat_count);
    CHECK(std::string_view(decoded.finding_key) == original.finding_key);
}

} // namespace

TEST_CASE("delivery: a spooled alert reads back as the view the output had")
{
    RenderedAlert rendered(full_alert());
    auto bytes = encode_spooled_alert(*rendered.view());
    auto decoded = SpooledAlert::decode(bytes);
    REQUIRE_MESSAGE(decoded.has_value(), decoded.error());
    check_same(*(*decoded)->view(), *rendered.view());
    // Encoding the decoded view gives the same bytes: nothing is lost or added.
    CHECK(encode_spooled_alert(*(*decoded)->view()) == bytes);
}

TEST_CASE("delivery: a spooled host alert keeps its absent container and pod")
{
    Alert alert;
    alert.rule = "sensor.events_lost";
    alert.k8s.node = "node-1";
    RenderedAlert rendered(std::move(alert));
    auto decoded = SpooledAlert::decode(encode_spooled_alert(*rendered.view()));
    REQUIRE_MESSAGE(decoded.has_value(), decoded.error());
    const auto &view = *(*decoded)->view();
    CHECK(view.container_id == nullptr);
    CHECK(view.pod_uid == nullptr);
    CHECK(view.tactic_count == 0);
    CHECK(view.repeat_count == 0);
    check_same(view, *rendered.view());
}

TEST_CASE("delivery: a spooled alert carries the finding key, and one an older vigil spooled reads without it")
{
    RenderedAlert rendered(full_alert());
    CHECK(std::string_view(rendered.view()->finding_key) ==
          "injection.ptrace_attach/" + std::string(64, 'a') + "//injector");
    auto bytes = encode_spooled_alert(*rendered.view());
    auto decoded = SpooledAlert::decode(bytes);
    REQUIRE_MESSAGE(decoded.has_value(), decoded.error());
    CHECK(std::string_view((*decoded)->view()->finding_key) == rendered.view()->finding_key);

    // Encoding version 1 (ABI 1.2) ended after the repeat count.
    auto key_size = std::string_view(rendered.view()->finding_key).size();
    auto version_1 = bytes.substr(0, bytes.size() - 4 - key_size);
    version_1[0] = 1;
    auto old = SpooledAlert::decode(version_1);
    REQUIRE_MESSAGE(old.has_value(), old.error());
    CHECK(std::string_view((*old)->view()->finding_key).empty());
    CHECK((*old)->view()->repeat_count == 9);
    CHECK(std::string_view((*old)->view()->exe) == "/injector");
}

TEST_CASE("delivery: a truncated spooled alert is refused at every length, with an error")
{
    RenderedAlert rendered(full_alert());
    auto bytes = encode_spooled_alert(*rendered.view());
    for (std::size_t size = 0; size < bytes.size(); ++size) {
        CAPTURE(size);
        auto decoded = SpooledAlert::decode(std::string_view(bytes).substr(0, size));
        REQUIRE_FALSE(decoded.has_value());
        CHECK_FALSE(decoded.error().empty());
    }
}

TEST_CASE("delivery: garbage, another version and trailing bytes are refused as spooled alerts")
{
    RenderedAlert rendered(full_alert());
    auto bytes = encode_spooled_alert(*rendered.view());

    auto newer_version = bytes;
    newer_version[0] = 3;
    auto decoded = SpooledAlert::decode(newer_version);
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().find("version 3") != std::string::npos);
    newer_version[0] = 0;
    CHECK_FALSE(SpooledAlert::decode(newer_version).has_value());

    decoded = SpooledAlert::decode(bytes + "x");
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().find("after its end") != std::string::npos);

    // A length that claims more than there is.
    std::string huge_length = std::string(1, '\x01') + "\xff\xff\xff\x7f" + "{}";
    decoded = SpooledAlert::decode(huge_length);
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().find("damaged") != std::string::npos);

    decoded = SpooledAlert::decode("{\"rule\":\"not an encoded alert\"}");
    CHECK_FALSE(decoded.has_value());

    // Every single-byte corruption either decodes to something or is refused: never a crash.
    for (std::size_t index = 0; index < bytes.size(); ++index) {
        auto corrupted = bytes;
        corrupted[index] = static_cast<char>(corrupted[index] ^ 0xff);
        (void)SpooledAlert::decode(corrupted);
    }
}
