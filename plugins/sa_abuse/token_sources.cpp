// SPDX-License-Identifier: Apache-2.0
#include "token_sources.hpp"

#include <algorithm>

namespace vigil_sa_abuse {
namespace {

bool contains(const std::vector<std::string> &items, std::string_view item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

} // namespace

TokenSources::TokenSources(std::size_t learn_calls, std::size_t max_pods)
    : learn_calls_(learn_calls), max_pods_(max_pods)
{
}

void TokenSources::forget_oldest()
{
    // Pods come and go; the one not heard from the longest is most likely gone.
    auto oldest = std::min_element(pods_.begin(), pods_.end(), [](const auto &left, const auto &right) {
        return left.second.last_seen_ns < right.second.last_seen_ns;
    });
    if (oldest != pods_.end()) {
        pods_.erase(oldest);
    }
}

TokenSources::Verdict TokenSources::observe(std::string_view pod_uid, std::string_view address, uint64_t now_ns)
{
    auto found = pods_.find(std::string(pod_uid));
    if (found == pods_.end()) {
        if (pods_.size() >= max_pods_) {
            forget_oldest();
            ++forgotten_pods_;
        }
        found = pods_.emplace(std::string(pod_uid), Pod{}).first;
    }
    auto &pod = found->second;
    pod.last_seen_ns = now_ns;
    if (pod.calls < learn_calls_) {
        ++pod.calls;
        if (!contains(pod.learned, address)) {
            pod.learned.emplace_back(address);
        }
        return Verdict::learning;
    }
    if (contains(pod.learned, address)) {
        return Verdict::known;
    }
    if (contains(pod.reported, address)) {
        return Verdict::repeated;
    }
    if (pod.reported.size() < 16) { // beyond that, rely on the sensor's dedup
        pod.reported.emplace_back(address);
    }
    return Verdict::foreign;
}

std::vector<std::string> TokenSources::learned(std::string_view pod_uid) const
{
    auto found = pods_.find(std::string(pod_uid));
    return found == pods_.end() ? std::vector<std::string>{} : found->second.learned;
}

} // namespace vigil_sa_abuse
