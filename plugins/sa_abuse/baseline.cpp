// SPDX-License-Identifier: Apache-2.0
#include "baseline.hpp"

#include <algorithm>

namespace vigil_sa_abuse {

WarmupBaseline::WarmupBaseline(uint64_t warmup_ns, std::size_t max_accounts, std::size_t max_shapes)
    : warmup_ns_(warmup_ns), max_accounts_(max_accounts), max_shapes_(max_shapes)
{
}

bool WarmupBaseline::knows(const History &history, const CallShape &shape)
{
    return std::find(history.shapes.begin(), history.shapes.end(), shape) != history.shapes.end();
}

bool WarmupBaseline::is_usual(std::string_view account, const CallShape &shape, uint64_t now_ns) const
{
    auto found = accounts_.find(std::string(account));
    if (found == accounts_.end()) {
        return true; // its first call starts its warm-up
    }
    const auto &history = found->second;
    return history.too_broad || learning(history, now_ns) || knows(history, shape);
}

void WarmupBaseline::observe(std::string_view account, const CallShape &shape, uint64_t now_ns)
{
    auto found = accounts_.find(std::string(account));
    if (found == accounts_.end()) {
        if (accounts_.size() >= max_accounts_) {
            ++untracked_calls_;
            return;
        }
        found = accounts_.emplace(std::string(account), History{now_ns, false, {}}).first;
    }
    auto &history = found->second;
    if (history.too_broad || knows(history, shape)) {
        return;
    }
    if (history.shapes.size() >= max_shapes_) {
        // Learning: the account does too many things to tell a new one from
        // the rest. After warm-up: a new call was reported and is not kept.
        history.too_broad = history.too_broad || learning(history, now_ns);
        return;
    }
    history.shapes.push_back(shape);
}

} // namespace vigil_sa_abuse
