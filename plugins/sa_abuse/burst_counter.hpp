// SPDX-License-Identifier: Apache-2.0
// Counts one kind of call per account in a sliding window and says when an
// account made more than a threshold of them: a burst. Each call carries a
// label (the namespace it touched) so the alert can say what was reached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vigil_sa_abuse {

class BurstCounter {
public:
    BurstCounter(uint64_t window_ns, std::size_t threshold, std::size_t max_accounts);

    // Records a call by @account; returns the labels of the burst's calls (at
    // most threshold + 1) when it makes more than the threshold within the
    // window, and then starts the account's count over, so a burst that goes
    // on is reported once per window. Empty otherwise.
    std::vector<std::string> add(std::string_view account, std::string_view label, uint64_t now_ns);

    std::size_t untracked_calls() const { return untracked_calls_; }

private:
    void forget_idle(uint64_t now_ns);

    uint64_t window_ns_;
    std::size_t threshold_;
    std::size_t max_accounts_;
    std::unordered_map<std::string, std::deque<std::pair<uint64_t, std::string>>> calls_;
    std::size_t untracked_calls_ = 0;
};

} // namespace vigil_sa_abuse
