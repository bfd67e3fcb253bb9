// SPDX-License-Identifier: Apache-2.0
// A detector's catalogue of rules, and which of them the configuration
// switched off. Every detector has the same few needs: a row per rule of its
// enum (its stable id "<plugin>.<name>", severity, ATT&CK mapping: the row
// type is the plugin's own), the row of a rule, a rule by its id (to read
// `disabled_rules`), and a test of whether a rule is on. Header-only.
//
//   enum class Rule { first, second };
//   struct RuleInfo { Rule rule; const char *id; vigil_severity severity; };
//   inline constexpr vigil::RuleTable<RuleInfo, 2> rule_table{{{
//       {Rule::first, "mine.first", VIGIL_SEVERITY_HIGH},
//       {Rule::second, "mine.second", VIGIL_SEVERITY_LOW},
//   }}};
//   static_assert(rule_table.in_enum_order());
//
//   rule_table.at(Rule::first).id;               // "mine.first"
//   auto off = vigil::read_disabled_rules(config, rule_table);   // throws ConfigError on an unknown id
//   if (off.enabled(Rule::second)) { ... }
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <vigil/host.hpp>

namespace vigil {

// @Row has at least `rule` (an enum whose values are 0 .. N-1) and `id` (const char *).
template <class Row, std::size_t N> class RuleTable {
public:
    using Rule = decltype(Row::rule);

    // The rows in the order of the enum: row i describes the rule whose value is i.
    constexpr explicit RuleTable(std::array<Row, N> rows) : rows_(rows) {}

    constexpr const Row &at(Rule rule) const { return rows_[static_cast<std::size_t>(rule)]; }
    constexpr std::span<const Row> all() const { return rows_; }
    static constexpr std::size_t size() { return N; }

    std::optional<Rule> find(std::string_view id) const
    {
        for (const auto &row : rows_) {
            if (id == row.id) {
                return row.rule;
            }
        }
        return std::nullopt;
    }

    // For a static_assert: every row sits at its rule's index, so at() is right.
    constexpr bool in_enum_order() const
    {
        for (std::size_t index = 0; index < N; ++index) {
            if (static_cast<std::size_t>(rows_[index].rule) != index) {
                return false;
            }
        }
        return true;
    }

private:
    std::array<Row, N> rows_;
};

// Which rules are on. All are, until the configuration switches some off.
template <class Rule, std::size_t N> class RuleSwitches {
public:
    void disable(Rule rule) { disabled_.set(static_cast<std::size_t>(rule)); }
    bool enabled(Rule rule) const { return !disabled_.test(static_cast<std::size_t>(rule)); }
    bool any_enabled() const { return disabled_.count() < N; }

private:
    std::bitset<N> disabled_;
};

// The rules the list option @key (by default `disabled_rules`) names, switched
// off. An id that is not one of @table's is a ConfigError that names it.
template <class Row, std::size_t N>
RuleSwitches<typename RuleTable<Row, N>::Rule, N>
read_disabled_rules(const Config &config, const RuleTable<Row, N> &table, const char *key = "disabled_rules")
{
    RuleSwitches<typename RuleTable<Row, N>::Rule, N> switches;
    for (const auto &id : config.get_list(key)) {
        auto rule = table.find(id);
        if (!rule) {
            std::string known;
            for (const auto &row : table.all()) {
                known += known.empty() ? "" : ", ";
                known += row.id;
            }
            throw ConfigError(std::string(key) + ": no rule named \"" + id + "\" (the rules are " + known + ")");
        }
        switches.disable(*rule);
    }
    return switches;
}

} // namespace vigil
