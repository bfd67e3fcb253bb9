// SPDX-License-Identifier: Apache-2.0
// The fake host's copy of an alert (vigil/testing/alert_capture.hpp) held to
// the sensor's own (alerts::alert_from_request): for each mistake a detector
// can make in a request the sensor accepts, FakeHost keeps what the sensor
// keeps, and says in a lint line what was wrong.
#include <doctest/doctest.h>

#include <array>
#include <cerrno>
#include <string>
#include <variant>
#include <vector>

#include <vigil/testing/alert_capture.hpp>

#include "core/alerts/alert.hpp"

using vigil::testing::AlertCapture;

namespace {

constexpr vigil_attack_ref execution{sizeof(vigil_attack_ref), "TA0002", "Execution"};
constexpr vigil_attack_ref container_admin{sizeof(vigil_attack_ref), "T1609", "Container Administration Command"};
constexpr vigil_attack_ref impact{sizeof(vigil_attack_ref), "TA0040", "Impact"}; // not declared

vigil_plugin_descriptor careless_descriptor()
{
    vigil_plugin_descriptor descriptor{};
    descriptor.struct_size = sizeof(descriptor);
    descriptor.name = "careless";
    descriptor.tactics = &execution;
    descriptor.tactic_count = 1;
    descriptor.techniques = &container_admin;
    descriptor.technique_count = 1;
    return descriptor;
}

vigil_evidence_field field(const char *key, uint32_t type)
{
    vigil_evidence_field field{};
    field.struct_size = sizeof(field);
    field.key = key;
    field.type = type;
    return field;
}

// A well-formed request, which each case spoils in one way.
struct Request {
    std::array<const char *, 2> items{"a", "b"};
    std::array<vigil_evidence_field, 3> evidence{field("path", VIGIL_EVIDENCE_STRING),
                                                 field("count", VIGIL_EVIDENCE_UNSIGNED),
                                                 field("names", VIGIL_EVIDENCE_STRING_LIST)};
    vigil_alert_request request{};

    Request()
    {
        evidence[0].string_value = "/etc/shadow";
        evidence[1].unsigned_value = 3;
        evidence[2].list_values = items.data();
        evidence[2].list_count = static_cast<uint32_t>(items.size());
        request.struct_size = sizeof(request);
        request.rule = "careless.rule";
        request.severity = VIGIL_SEVERITY_HIGH;
        request.summary = "something careless";
        request.tactics = &execution;
        request.tactic_count = 1;
        request.techniques = &container_admin;
        request.technique_count = 1;
        request.evidence = evidence.data();
        request.evidence_count = static_cast<uint32_t>(evidence.size());
        request.dedup_key = "key";
    }
    // The request points into this object.
    Request(const Request &) = delete;
    Request &operator=(const Request &) = delete;
};

// Evidence as RecordedAlert renders it.
std::string text_of(const vigil::alerts::EvidenceValue &value)
{
    if (const auto *text = std::get_if<std::string>(&value)) {
        return *text;
    }
    if (const auto *number = std::get_if<int64_t>(&value)) {
        return std::to_string(*number);
    }
    if (const auto *number = std::get_if<uint64_t>(&value)) {
        return std::to_string(*number);
    }
    if (const auto *flag = std::get_if<bool>(&value)) {
        return *flag ? "true" : "false";
    }
    std::string text = "[";
    for (const auto &item : std::get<std::vector<std::string>>(value)) {
        text += (text.size() > 1 ? ", \"" : "\"") + item + "\"";
    }
    return text + "]";
}

std::vector<std::string> ids_of(const std::vector<vigil::alerts::AttackRef> &refs)
{
    std::vector<std::string> ids;
    for (const auto &ref : refs) {
        ids.push_back(ref.id);
    }
    return ids;
}

// Captures @request as FakeHost does and compares it with the sensor's copy;
// returns the lint lines, which must also be the only problems.
std::vector<std::string> capture_as_the_sensor_does(const vigil_alert_request &request)
{
    auto descriptor = careless_descriptor();
    std::vector<std::string> problems;
    AlertCapture capture(descriptor, problems);
    REQUIRE(capture.capture(&request, nullptr) == 0);
    REQUIRE(capture.alerts().size() == 1);
    const auto &fake = capture.alerts()[0];
    auto sensor = vigil::alerts::alert_from_request(request, "careless");

    CHECK(fake.rule == sensor.rule);
    CHECK(fake.severity == sensor.severity);
    CHECK(fake.summary == sensor.summary);
    CHECK(fake.tactics == ids_of(sensor.tactics));
    CHECK(fake.techniques == ids_of(sensor.techniques));
    REQUIRE(fake.evidence.size() == sensor.evidence.size());
    for (const auto &field : sensor.evidence) {
        CAPTURE(field.key);
        REQUIRE(fake.has_evidence(field.key));
        CHECK(fake.evidence_at(field.key) == text_of(field.value));
    }
    CHECK(fake.dedup_key.value_or("") == sensor.dedup_key);
    CHECK(problems == capture.lint());
    return capture.lint();
}

} // namespace

TEST_CASE("sdk: AlertCapture keeps a well-formed alert as the sensor does, without lint")
{
    Request spoiled;
    CHECK(capture_as_the_sensor_does(spoiled.request).empty());
}

TEST_CASE("sdk: AlertCapture refuses only what the sensor refuses: no request, no rule id")
{
    auto descriptor = careless_descriptor();
    std::vector<std::string> problems;
    AlertCapture capture(descriptor, problems);
    CHECK(capture.capture(nullptr, nullptr) == -EINVAL);
    Request spoiled;
    spoiled.request.rule = nullptr;
    CHECK(capture.capture(&spoiled.request, nullptr) == -EINVAL);
    spoiled.request.rule = "careless.rule";
    spoiled.request.struct_size = 2; // too small to be a request at all
    CHECK(capture.capture(&spoiled.request, nullptr) == -EINVAL);
    CHECK(capture.alerts().empty());
    CHECK(problems.size() == 3);
    CHECK(capture.lint().empty());
}

TEST_CASE("sdk: AlertCapture keeps what the sensor only warns about, clamps, cuts or drops, and lints it")
{
    auto lint_of = [](auto spoil) {
        Request spoiled;
        spoil(spoiled);
        auto lint = capture_as_the_sensor_does(spoiled.request);
        CHECK(lint.size() == 1);
        return lint.empty() ? std::string() : lint[0];
    };
    CHECK(lint_of([](Request &r) { r.request.rule = "other.rule"; }).find("careless.<name>") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.rule = "careless."; }).find("careless.<name>") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.summary = ""; }).find("no summary") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.summary = nullptr; }).find("no summary") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.severity = 9; }).find("severity 9") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.tactics = &impact; }).find("TA0040") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.techniques = &impact; }).find("TA0040") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.request.tactics = nullptr; }).find("tactics") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[1].key = ""; }).find("without a key") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[1].key = nullptr; }).find("without a key") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[1].key = "path"; }).find("twice") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[1].type = 99; }).find("unknown type") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[0].string_value = nullptr; }).find("no string") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.items[1] = nullptr; }).find("missing list item") != std::string::npos);
    CHECK(lint_of([](Request &r) { r.evidence[2].list_values = nullptr; }).find("no list") != std::string::npos);
}

TEST_CASE("sdk: AlertCapture holds to the sensor's bounds on strings, references, fields and list items")
{
    std::string long_summary(vigil::testing::SensorAlertBounds::string_bytes + 10, 's');
    std::vector<vigil_attack_ref> many_tactics(vigil::testing::SensorAlertBounds::attack_refs + 1, execution);
    std::vector<const char *> many_items(vigil::testing::SensorAlertBounds::list_items + 1, "x");
    std::vector<std::string> keys;
    for (uint32_t index = 0; index <= vigil::testing::SensorAlertBounds::evidence_fields; ++index) {
        keys.push_back("key" + std::to_string(index));
    }
    std::vector<vigil_evidence_field> many_fields;
    for (const auto &key : keys) {
        many_fields.push_back(field(key.c_str(), VIGIL_EVIDENCE_BOOL));
    }

    {
        Request spoiled;
        spoiled.request.summary = long_summary.c_str();
        CHECK(capture_as_the_sensor_does(spoiled.request).size() == 1);
    }
    {
        Request spoiled;
        spoiled.request.tactics = many_tactics.data();
        spoiled.request.tactic_count = static_cast<uint32_t>(many_tactics.size());
        CHECK(capture_as_the_sensor_does(spoiled.request).size() == 1);
    }
    {
        Request spoiled;
        spoiled.evidence[2].list_values = many_items.data();
        spoiled.evidence[2].list_count = static_cast<uint32_t>(many_items.size());
        CHECK(capture_as_the_sensor_does(spoiled.request).size() == 1);
    }
    {
        Request spoiled;
        spoiled.request.evidence = many_fields.data();
        spoiled.request.evidence_count = static_cast<uint32_t>(many_fields.size());
        CHECK(capture_as_the_sensor_does(spoiled.request).size() == 1);
    }
}
