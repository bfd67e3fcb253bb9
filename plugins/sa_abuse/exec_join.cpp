// SPDX-License-Identifier: Apache-2.0
#include "exec_join.hpp"

#include <algorithm>

namespace vigil_sa_abuse {
namespace {

std::string pod_key(std::string_view pod_namespace, std::string_view pod_name)
{
    std::string key(pod_namespace);
    key += '/';
    key += pod_name;
    return key;
}

template <class Item> void keep_at_most(std::deque<Item> &items, std::size_t capacity)
{
    while (items.size() > capacity) {
        items.pop_front();
    }
}

} // namespace

ExecJoin::ExecJoin(uint64_t window_ns, std::size_t capacity) : window_ns_(window_ns), capacity_(capacity) {}

void ExecJoin::learn_pod(std::string_view pod_namespace, std::string_view pod_name, std::string_view pod_uid)
{
    if (pod_namespace.empty() || pod_name.empty() || pod_uid.empty()) {
        return;
    }
    if (pod_uids_.size() >= capacity_) {
        pod_uids_.clear(); // relearned from the next calls; cheaper than tracking age for a name table
    }
    pod_uids_.insert_or_assign(pod_key(pod_namespace, pod_name), std::string(pod_uid));
}

std::string ExecJoin::pod_uid(std::string_view pod_namespace, std::string_view pod_name) const
{
    auto found = pod_uids_.find(pod_key(pod_namespace, pod_name));
    return found == pod_uids_.end() ? std::string() : found->second;
}

void ExecJoin::expire(uint64_t now_ns)
{
    auto stale = [&](const auto &item) { return now_ns - item.at_ns > window_ns_; };
    std::erase_if(requests_, stale);
    std::erase_if(processes_, stale);
}

std::optional<ExecProcess> ExecJoin::add_request(ExecRequest request)
{
    expire(request.at_ns);
    auto match = std::find_if(processes_.begin(), processes_.end(),
                              [&](const ExecProcess &process) { return process.pod_uid == request.pod_uid; });
    if (match != processes_.end()) {
        ExecProcess process = std::move(*match);
        processes_.erase(match);
        return process;
    }
    requests_.push_back(std::move(request));
    keep_at_most(requests_, capacity_);
    return std::nullopt;
}

std::optional<ExecRequest> ExecJoin::add_process(ExecProcess process)
{
    expire(process.at_ns);
    auto match = std::find_if(requests_.begin(), requests_.end(),
                              [&](const ExecRequest &request) { return request.pod_uid == process.pod_uid; });
    if (match != requests_.end()) {
        ExecRequest request = std::move(*match);
        requests_.erase(match);
        return request;
    }
    processes_.push_back(std::move(process));
    keep_at_most(processes_, capacity_);
    return std::nullopt;
}

} // namespace vigil_sa_abuse
