// SPDX-License-Identifier: Apache-2.0
#include "chain.hpp"

#include <utility>

namespace vigil_sa_abuse {
namespace {

bool older_than(uint64_t at_ns, uint64_t now_ns, uint64_t window_ns)
{
    return now_ns > at_ns && now_ns - at_ns > window_ns;
}

// The pod UID of the container side, else its account.
std::string chain_key(const Finding &container)
{
    return !container.pod_uid.empty() ? container.pod_uid : container.account;
}

} // namespace

ChainJoin::ChainJoin(uint64_t window_ns, std::size_t capacity) : window_ns_(window_ns), capacity_(capacity) {}

void ChainJoin::expire(uint64_t now_ns)
{
    // Each deque is in arrival order, so the stale ones are at the front.
    while (!containers_.empty() && older_than(containers_.front().at_ns, now_ns, window_ns_)) {
        containers_.pop_front();
    }
    while (!audits_.empty() && older_than(audits_.front().at_ns, now_ns, window_ns_)) {
        audits_.pop_front();
    }
    while (!raised_.empty() && older_than(raised_.front().at_ns, now_ns, window_ns_)) {
        raised_.pop_front();
    }
}

void ChainJoin::remember(std::deque<Finding> &side, Finding finding)
{
    side.push_back(std::move(finding));
    while (side.size() > capacity_) {
        side.pop_front();
        ++forgotten_;
    }
}

bool ChainJoin::raised(const std::string &key, const Finding &container, const Finding &audit) const
{
    for (const auto &entry : raised_) {
        if (entry.key == key && entry.container_rule == container.rule && entry.audit_rule == audit.rule) {
            return true;
        }
    }
    return false;
}

std::optional<Chain> ChainJoin::join(const Finding &arriving, const std::deque<Finding> &others,
                                     bool arriving_is_container)
{
    // Two passes, most recent first: the pod UID when both sides know it, then the account.
    for (bool by_pod : {true, false}) {
        for (auto other = others.rbegin(); other != others.rend(); ++other) {
            bool same = by_pod ? !arriving.pod_uid.empty() && arriving.pod_uid == other->pod_uid
                               : !arriving.account.empty() && arriving.account == other->account;
            if (!same) {
                continue;
            }
            const Finding &container = arriving_is_container ? arriving : *other;
            const Finding &audit = arriving_is_container ? *other : arriving;
            std::string key = chain_key(container);
            if (raised(key, container, audit)) {
                continue;
            }
            raised_.push_back(Raised{arriving.at_ns, key, container.rule, audit.rule});
            while (raised_.size() > capacity_) {
                raised_.pop_front();
            }
            Chain chain;
            chain.container = container;
            chain.audit = audit;
            chain.by_pod = by_pod;
            chain.apart_ns = arriving.at_ns > other->at_ns ? arriving.at_ns - other->at_ns : 0;
            chain.key = std::move(key);
            return chain;
        }
    }
    return std::nullopt;
}

std::optional<Chain> ChainJoin::add_container(Finding finding)
{
    expire(finding.at_ns);
    auto chain = join(finding, audits_, true);
    remember(containers_, std::move(finding));
    return chain;
}

std::optional<Chain> ChainJoin::add_audit(Finding finding)
{
    expire(finding.at_ns);
    auto chain = join(finding, containers_, false);
    remember(audits_, std::move(finding));
    return chain;
}

} // namespace vigil_sa_abuse
