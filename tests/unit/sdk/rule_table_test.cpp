// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <vigil/rule_table.hpp>

namespace {

enum class Rule { first, second, third };
struct Row {
    Rule rule;
    const char *id;
    vigil_severity severity;
};

constexpr vigil::RuleTable<Row, 3> table{{{
    {Rule::first, "mine.first", VIGIL_SEVERITY_HIGH},
    {Rule::second, "mine.second", VIGIL_SEVERITY_LOW},
    {Rule::third, "mine.third", VIGIL_SEVERITY_MEDIUM},
}}};
static_assert(table.in_enum_order());

constexpr vigil::RuleTable<Row, 2> shuffled{{{
    {Rule::second, "mine.second", VIGIL_SEVERITY_LOW},
    {Rule::first, "mine.first", VIGIL_SEVERITY_HIGH},
}}};
static_assert(!shuffled.in_enum_order());

// A config view whose only option is the list `disabled_rules`.
struct ListOption {
    std::vector<std::string> items;
    vigil_config_view view{};

    explicit ListOption(std::vector<std::string> values) : items(std::move(values))
    {
        view.struct_size = sizeof(view);
        view.context = this;
        view.get_list_size = [](const void *context, const char *) {
            return static_cast<uint32_t>(static_cast<const ListOption *>(context)->items.size());
        };
        view.get_list_item = [](const void *context, const char *, uint32_t index) {
            return static_cast<const ListOption *>(context)->items.at(index).c_str();
        };
    }
};

} // namespace

TEST_SUITE("sdk")
{
    TEST_CASE("rule table: a row by rule and a rule by id")
    {
        CHECK(std::string(table.at(Rule::second).id) == "mine.second");
        CHECK(table.at(Rule::third).severity == VIGIL_SEVERITY_MEDIUM);
        CHECK(table.find("mine.third") == Rule::third);
        CHECK_FALSE(table.find("mine.fourth").has_value());
        CHECK(table.all().size() == 3);
    }

    TEST_CASE("disabled_rules: named rules are off, the rest on; an unknown id names the known ones")
    {
        ListOption option({"mine.second"});
        auto switches = vigil::read_disabled_rules(vigil::Config(&option.view), table);
        CHECK(switches.enabled(Rule::first));
        CHECK_FALSE(switches.enabled(Rule::second));
        CHECK(switches.any_enabled());

        ListOption typo({"mine.secnd"});
        try {
            vigil::read_disabled_rules(vigil::Config(&typo.view), table);
            FAIL("an unknown rule id was accepted");
        } catch (const vigil::ConfigError &error) {
            std::string message = error.what();
            CHECK(message.find("\"mine.secnd\"") != std::string::npos);
            CHECK(message.find("mine.first, mine.second, mine.third") != std::string::npos);
        }

        ListOption everything({"mine.first", "mine.second", "mine.third"});
        CHECK_FALSE(vigil::read_disabled_rules(vigil::Config(&everything.view), table).any_enabled());
    }
}
