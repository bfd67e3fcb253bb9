// SPDX-License-Identifier: Apache-2.0
// What an account usually does. The detector only asks is_usual() and tells
// observe(); WarmupBaseline is the simple answer used today (learn for a
// while, then everything not learned is new), and a richer baseline engine can
// take its place behind the same interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit_call.hpp"

namespace vigil_sa_abuse {

class Baseline {
public:
    virtual ~Baseline() = default;
    // Whether @account making @shape at @now_ns is nothing to report.
    virtual bool is_usual(std::string_view account, const CallShape &shape, uint64_t now_ns) const = 0;
    // @account made @shape at @now_ns; called after is_usual, for every call.
    virtual void observe(std::string_view account, const CallShape &shape, uint64_t now_ns) = 0;
};

// Per account, the calls it made during @warmup_ns from its first call; after
// that, a call outside them is unusual once (it is then remembered). Bounded:
// accounts beyond @max_accounts are not tracked (always usual, counted), and
// an account keeps at most @max_shapes calls (one that makes more during
// warm-up is too broad to judge, so it is always usual).
class WarmupBaseline final : public Baseline {
public:
    WarmupBaseline(uint64_t warmup_ns, std::size_t max_accounts, std::size_t max_shapes);

    bool is_usual(std::string_view account, const CallShape &shape, uint64_t now_ns) const override;
    void observe(std::string_view account, const CallShape &shape, uint64_t now_ns) override;

    std::size_t untracked_calls() const { return untracked_calls_; }

private:
    struct History {
        uint64_t first_seen_ns = 0;
        bool too_broad = false;
        std::vector<CallShape> shapes; // few per account: a linear search is the cheapest
    };
    bool learning(const History &history, uint64_t now_ns) const { return now_ns - history.first_seen_ns < warmup_ns_; }
    static bool knows(const History &history, const CallShape &shape);

    uint64_t warmup_ns_;
    std::size_t max_accounts_;
    std::size_t max_shapes_;
    std::unordered_map<std::string, History> accounts_;
    std::size_t untracked_calls_ = 0;
};

} // namespace vigil_sa_abuse
