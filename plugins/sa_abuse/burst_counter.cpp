// SPDX-License-Identifier: Apache-2.0
#include "burst_counter.hpp"

namespace vigil_sa_abuse {

BurstCounter::BurstCounter(uint64_t window_ns, std::size_t threshold, std::size_t max_accounts)
    : window_ns_(window_ns), threshold_(threshold), max_accounts_(max_accounts)
{
}

void BurstCounter::forget_idle(uint64_t now_ns)
{
    std::erase_if(calls_, [&](const auto &entry) {
        return entry.second.empty() || now_ns - entry.second.back().first > window_ns_;
    });
}

std::vector<std::string> BurstCounter::add(std::string_view account, std::string_view label, uint64_t now_ns)
{
    auto found = calls_.find(std::string(account));
    if (found == calls_.end()) {
        if (calls_.size() >= max_accounts_) {
            forget_idle(now_ns);
        }
        if (calls_.size() >= max_accounts_) {
            ++untracked_calls_;
            return {};
        }
        found = calls_.emplace(std::string(account), std::deque<std::pair<uint64_t, std::string>>{}).first;
    }
    auto &calls = found->second;
    while (!calls.empty() && now_ns - calls.front().first > window_ns_) {
        calls.pop_front();
    }
    calls.emplace_back(now_ns, std::string(label));
    if (calls.size() <= threshold_) {
        return {};
    }
    std::vector<std::string> labels;
    for (auto &call : calls) {
        labels.push_back(std::move(call.second));
    }
    calls_.erase(found);
    return labels;
}

} // namespace vigil_sa_abuse
