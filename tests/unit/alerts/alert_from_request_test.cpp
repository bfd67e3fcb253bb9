// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>

#include "core/alerts/alert.hpp"

using namespace vigil::alerts;

namespace {

vigil_evidence_field field(const char *key, uint32_t type)
{
    vigil_evidence_field evidence{};
    evidence.struct_size = sizeof(evidence);
    evidence.key = key;
    evidence.type = type;
    return evidence;
}

vigil_alert_request request_for(const char *rule)
{
    vigil_alert_request request{};
    request.struct_size = sizeof(request);
    request.rule = rule;
    request.severity = VIGIL_SEVERITY_MEDIUM;
    request.summary = "summary";
    return request;
}

} // namespace

TEST_CASE("alerts: alert_from_request copies every evidence type")
{
    const char *items[] = {"one", nullptr, "three"};
    vigil_evidence_field fields[7] = {
        field("path", VIGIL_EVIDENCE_STRING),      field("delta", VIGIL_EVIDENCE_INTEGER),
        field("inode", VIGIL_EVIDENCE_UNSIGNED),   field("writable", VIGIL_EVIDENCE_BOOL),
        field("argv", VIGIL_EVIDENCE_STRING_LIST), field("future", 99),
        field("path", VIGIL_EVIDENCE_STRING),
    };
    fields[0].string_value = "/etc/shadow";
    fields[1].integer_value = -5;
    fields[2].unsigned_value = 18446744073709551615ULL;
    fields[3].integer_value = 1;
    fields[4].list_values = items;
    fields[4].list_count = 3;
    fields[6].string_value = "a repeated key: the first one wins";

    vigil_attack_ref tactic{sizeof(vigil_attack_ref), "TA0006", "Credential Access"};
    vigil_attack_ref techniques[2] = {{sizeof(vigil_attack_ref), "T1552.007", "Container API"},
                                      {sizeof(vigil_attack_ref), nullptr, nullptr}};

    std::string rule = "credentials.shadow_read";
    auto request = request_for(rule.c_str());
    request.severity = VIGIL_SEVERITY_HIGH;
    request.tactics = &tactic;
    request.tactic_count = 1;
    request.techniques = techniques;
    request.technique_count = 2;
    request.evidence = fields;
    request.evidence_count = 7;
    request.dedup_key = "/etc/shadow";

    auto alert = alert_from_request(request, "credentials");
    rule.assign("overwritten after the call"); // the alert holds its own copy

    CHECK(alert.rule == "credentials.shadow_read");
    CHECK(alert.plugin == "credentials");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.summary == "summary");
    CHECK(alert.dedup_key == "/etc/shadow");
    REQUIRE(alert.tactics.size() == 1);
    CHECK(alert.tactics[0].id == "TA0006");
    CHECK(alert.tactics[0].name == "Credential Access");
    REQUIRE(alert.techniques.size() == 2);
    CHECK(alert.techniques[1].id.empty());
    CHECK(alert.techniques[1].name.empty());
    CHECK(!alert.process);
    CHECK(!alert.container);
    CHECK(!alert.repeat);

    REQUIRE(alert.evidence.size() == 5); // the unknown type and the repeated key are skipped
    CHECK(alert.evidence[0].key == "path");
    CHECK(std::get<std::string>(alert.evidence[0].value) == "/etc/shadow");
    CHECK(std::get<int64_t>(alert.evidence[1].value) == -5);
    CHECK(std::get<uint64_t>(alert.evidence[2].value) == 18446744073709551615ULL);
    CHECK(std::get<bool>(alert.evidence[3].value) == true);
    CHECK(std::get<std::vector<std::string>>(alert.evidence[4].value) == std::vector<std::string>{"one", "", "three"});
}

TEST_CASE("alerts: alert_from_request treats NULL strings and arrays as empty")
{
    vigil_alert_request request{};
    request.struct_size = sizeof(request);
    request.severity = 42;      // beyond the enum: read as critical
    request.tactic_count = 3;   // with a NULL array
    request.evidence_count = 2; // likewise
    vigil_evidence_field fields[2] = {field(nullptr, VIGIL_EVIDENCE_STRING), field("list", VIGIL_EVIDENCE_STRING_LIST)};
    fields[1].list_count = 4; // NULL list_values
    vigil_alert_request with_fields = request;
    with_fields.evidence = fields;

    auto alert = alert_from_request(request, "p");
    CHECK(alert.rule.empty());
    CHECK(alert.summary.empty());
    CHECK(alert.dedup_key.empty());
    CHECK(alert.tactics.empty());
    CHECK(alert.evidence.empty());
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);

    auto listed = alert_from_request(with_fields, "p");
    REQUIRE(listed.evidence.size() == 1); // the field without a key is skipped
    CHECK(listed.evidence[0].key == "list");
    CHECK(std::get<std::vector<std::string>>(listed.evidence[0].value).empty());
}

TEST_CASE("alerts: alert_from_request honours struct_size")
{
    SUBCASE("a request from an older plugin: fields past its struct_size are not read")
    {
        auto request = request_for("old.rule");
        request.dedup_key = "beyond the old struct";
        request.struct_size = offsetof(vigil_alert_request, dedup_key);
        auto alert = alert_from_request(request, "old");
        CHECK(alert.rule == "old.rule");
        CHECK(alert.dedup_key.empty());
    }
    SUBCASE("evidence from a newer plugin: stepped by its larger struct_size")
    {
        struct NewerField {
            vigil_evidence_field known;
            uint64_t appended_later;
        };
        NewerField fields[2] = {{field("a", VIGIL_EVIDENCE_INTEGER), 7}, {field("b", VIGIL_EVIDENCE_INTEGER), 7}};
        fields[0].known.struct_size = sizeof(NewerField);
        fields[0].known.integer_value = 1;
        fields[1].known.struct_size = sizeof(NewerField);
        fields[1].known.integer_value = 2;
        auto request = request_for("new.rule");
        request.evidence = &fields[0].known;
        request.evidence_count = 2;
        auto alert = alert_from_request(request, "new");
        REQUIRE(alert.evidence.size() == 2);
        CHECK(alert.evidence[1].key == "b");
        CHECK(std::get<int64_t>(alert.evidence[1].value) == 2);
    }
    SUBCASE("attack refs from an older plugin that lacked the name: it reads as empty")
    {
        vigil_attack_ref refs[2] = {{0, "T1611", "Escape to Host"}, {0, "T1609", "Container Administration Command"}};
        refs[0].struct_size = offsetof(vigil_attack_ref, name);
        auto request = request_for("old.rule");
        request.techniques = refs;
        request.technique_count = 1;
        auto alert = alert_from_request(request, "old");
        REQUIRE(alert.techniques.size() == 1);
        CHECK(alert.techniques[0].id == "T1611");
        CHECK(alert.techniques[0].name.empty());
    }
    SUBCASE("an array whose struct_size is zero is ignored rather than read over and over")
    {
        vigil_evidence_field broken = field("x", VIGIL_EVIDENCE_BOOL);
        broken.struct_size = 0;
        auto request = request_for("bad.rule");
        request.evidence = &broken;
        request.evidence_count = 1000;
        CHECK(alert_from_request(request, "bad").evidence.empty());
    }
}
