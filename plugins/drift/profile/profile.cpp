// SPDX-License-Identifier: Apache-2.0
#include "profile/profile.hpp"

#include <algorithm>

#include "profile/collapse.hpp"

namespace vigil_drift {

namespace {

std::uint64_t since(std::uint64_t now_ns, std::uint64_t start_ns)
{
    return now_ns > start_ns ? now_ns - start_ns : 0;
}

// The time a learning class becomes stable if nothing new turns up.
std::uint64_t learning_end(const ClassProfile &data, const LearningPolicy &policy)
{
    auto quiet_from = std::max(data.last_new_ns, data.learning_start_ns);
    auto end = std::max(data.learning_start_ns + policy.minimum_ns, quiet_from + policy.quiet_ns);
    return std::min(end, data.learning_start_ns + policy.maximum_ns);
}

bool still_learning(LearningState state)
{
    return state == LearningState::learning || state == LearningState::relearning;
}

// A safety bound on chained collapses (each one merges entries, so the chain
// ends well before this).
constexpr int max_collapse_steps = 64;

} // namespace

Profile::Profile(ProfileKey key, std::string version, std::uint64_t now_ns)
    : key_(std::move(key)), version_(std::move(version)), created_ns_(now_ns)
{
    for (auto &data : classes_) {
        data.learning_start_ns = now_ns;
        data.state_since_ns = now_ns;
    }
    changes_.full = true;
}

Profile Profile::start_from(const Profile &previous, std::string version, std::uint64_t now_ns)
{
    Profile next(previous.key_, std::move(version), now_ns);
    next.inherited_from_ = previous.version_;
    for (auto behaviour : all_behaviour_classes) {
        const auto &old = previous.behaviour(behaviour);
        auto &data = next.data(behaviour);
        data.entries = old.entries;
        data.cap_hit = old.cap_hit;
        data.partial = old.partial;
        data.partial_reason = old.partial_reason;
        data.learned_ns = old.learned_ns;
        switch (old.state) {
        case LearningState::learning:
            data.state = LearningState::learning;
            data.learning_start_ns = old.learning_start_ns;
            data.last_new_ns = old.last_new_ns;
            data.state_since_ns = old.state_since_ns;
            break;
        case LearningState::stable:
        case LearningState::relearning:
            data.state = LearningState::relearning;
            data.learning_start_ns = old.learning_start_ns;
            data.last_new_ns = old.last_new_ns;
            break;
        case LearningState::unstable:
            data.state = LearningState::unstable;
            data.learning_start_ns = old.learning_start_ns;
            data.last_new_ns = old.last_new_ns;
            data.state_since_ns = old.state_since_ns;
            break;
        }
        next.rebuild_patterns(behaviour);
    }
    return next;
}

Profile::Outcome Profile::observe(const Observation &observation, std::uint64_t now_ns, const LearningPolicy &policy)
{
    auto behaviour = observation.behaviour;
    auto &data = this->data(behaviour);
    touch(now_ns);
    if (first_seen_ns_ == 0) {
        first_seen_ns_ = now_ns;
    }
    advance_class(data, now_ns, policy);
    ++data.observations;
    changes_.header = true;

    Outcome outcome;
    auto count = [&](const std::string &entry) {
        auto &stats = data.entries.at(entry);
        ++stats.times_seen;
        changes_.changed[class_index(behaviour)].insert(entry);
        outcome.known = true;
        outcome.stored_entry = entry;
    };
    if (data.entries.contains(observation.entry)) {
        count(observation.entry);
    } else if (auto pattern = covering_pattern(behaviour, observation.entry, patterns_[class_index(behaviour)])) {
        count(*pattern);
    } else if (data.state == LearningState::stable) {
        outcome.drift = true;
        ++data.drift_count;
        outcome.stored_entry = observation.entry;
    } else if (data.state == LearningState::unstable) {
        ++data.rejected;
        outcome.stored_entry = observation.entry;
    } else {
        bool stored = false;
        outcome.stored_entry = learn(behaviour, observation.entry, now_ns, policy, stored);
        if (!stored) {
            ++data.rejected;
            data.cap_hit = true;
            data.state = LearningState::unstable;
            data.state_since_ns = now_ns;
        }
    }
    outcome.state = data.state;
    outcome.learned_ns = data.learned_ns;
    return outcome;
}

// Collapses as needed and stores the new entry; returns what was stored (or
// would have been, when the cap stops it: `stored` false).
std::string Profile::learn(BehaviourClass behaviour, std::string entry, std::uint64_t now_ns,
                           const LearningPolicy &policy, bool &stored)
{
    auto &data = this->data(behaviour);
    auto threshold = collapse_threshold(behaviour, policy);
    for (int step = 0; threshold > 0 && step < max_collapse_steps; ++step) {
        auto collapse = find_collapse(behaviour, entry, data.entries, threshold);
        if (!collapse) {
            break;
        }
        for (const auto &[from, to] : collapse->renames) {
            rename_entry(behaviour, from, to);
        }
        entry = std::move(collapse->new_entry);
        if (data.entries.contains(entry)) {
            break;
        }
        if (auto pattern = covering_pattern(behaviour, entry, patterns_[class_index(behaviour)])) {
            entry = *pattern;
            break;
        }
    }
    data.last_new_ns = now_ns;
    changes_.header = true;
    auto existing = data.entries.find(entry);
    if (existing == data.entries.end()) {
        if (data.entries.size() >= policy.entry_cap) {
            stored = false;
            return entry;
        }
        existing = data.entries.emplace(entry, EntryStats{now_ns, 0}).first;
        if (is_pattern(behaviour, entry)) {
            patterns_[class_index(behaviour)].insert(entry);
        }
    }
    ++existing->second.times_seen;
    changes_.changed[class_index(behaviour)].insert(entry);
    changes_.removed[class_index(behaviour)].erase(entry);
    stored = true;
    return entry;
}

void Profile::rename_entry(BehaviourClass behaviour, const std::string &from, const std::string &to)
{
    auto index = class_index(behaviour);
    auto &entries = data(behaviour).entries;
    auto source = entries.find(from);
    if (source == entries.end() || from == to) {
        return;
    }
    auto stats = source->second;
    entries.erase(source);
    patterns_[index].erase(from);
    changes_.changed[index].erase(from);
    changes_.removed[index].insert(from);

    auto [target, inserted] = entries.try_emplace(to, stats);
    if (!inserted) {
        auto &merged = target->second;
        merged.first_seen_ns = std::min(merged.first_seen_ns, stats.first_seen_ns);
        merged.times_seen += stats.times_seen;
    }
    if (is_pattern(behaviour, to)) {
        patterns_[index].insert(to);
    }
    changes_.changed[index].insert(to);
    changes_.removed[index].erase(to);
}

void Profile::advance(std::uint64_t now_ns, const LearningPolicy &policy)
{
    for (auto &data : classes_) {
        advance_class(data, now_ns, policy);
    }
}

void Profile::advance_class(ClassProfile &data, std::uint64_t now_ns, const LearningPolicy &policy)
{
    if (data.state == LearningState::learning) {
        auto end = learning_end(data, policy);
        if (now_ns >= end) {
            data.state = LearningState::stable;
            data.state_since_ns = end;
            data.learned_ns = end - data.learning_start_ns;
            changes_.header = true;
        }
    } else if (data.state == LearningState::relearning) {
        auto end = data.state_since_ns + policy.relearn_ns;
        if (now_ns >= end) {
            data.state = LearningState::stable;
            data.state_since_ns = end;
            changes_.header = true;
        }
    }
}

void Profile::mark_partial(std::string_view reason)
{
    for (auto behaviour : all_behaviour_classes) {
        mark_partial(behaviour, reason);
    }
}

void Profile::mark_partial(BehaviourClass behaviour, std::string_view reason)
{
    auto &data = this->data(behaviour);
    if (!still_learning(data.state)) {
        return;
    }
    if (!data.partial) {
        data.partial = true;
        data.partial_reason = reason;
        changes_.header = true;
    } else if (data.partial_reason.find(reason) == std::string::npos) {
        data.partial_reason += "; ";
        data.partial_reason += reason;
        changes_.header = true;
    }
}

LearningProgress Profile::progress(BehaviourClass behaviour, std::uint64_t now_ns, const LearningPolicy &policy) const
{
    const auto &data = this->behaviour(behaviour);
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    if (data.state == LearningState::learning) {
        start = data.learning_start_ns;
        end = learning_end(data, policy);
    } else if (data.state == LearningState::relearning) {
        start = data.state_since_ns;
        end = data.state_since_ns + policy.relearn_ns;
    } else {
        return {};
    }
    if (now_ns >= end || end <= start) {
        return {100.0, 0};
    }
    auto window = static_cast<double>(end - start);
    return {100.0 * static_cast<double>(since(now_ns, start)) / window, end - std::max(now_ns, start)};
}

bool Profile::partial() const
{
    return std::any_of(classes_.begin(), classes_.end(), [](const ClassProfile &data) { return data.partial; });
}

bool Profile::cap_hit() const
{
    return std::any_of(classes_.begin(), classes_.end(), [](const ClassProfile &data) { return data.cap_hit; });
}

void Profile::touch(std::uint64_t now_ns)
{
    if (now_ns > last_seen_ns_) {
        last_seen_ns_ = now_ns;
        changes_.header = true;
    }
}

void Profile::restore(std::string inherited_from, std::uint64_t created_ns, std::uint64_t first_seen_ns,
                      std::uint64_t last_seen_ns)
{
    inherited_from_ = std::move(inherited_from);
    created_ns_ = created_ns;
    first_seen_ns_ = first_seen_ns;
    last_seen_ns_ = last_seen_ns;
    changes_.full = true;
}

void Profile::restore(BehaviourClass behaviour, ClassProfile data)
{
    this->data(behaviour) = std::move(data);
    rebuild_patterns(behaviour);
    changes_.full = true;
}

void Profile::rebuild_patterns(BehaviourClass behaviour)
{
    auto &patterns = patterns_[class_index(behaviour)];
    patterns.clear();
    for (const auto &[entry, stats] : data(behaviour).entries) {
        if (is_pattern(behaviour, entry)) {
            patterns.insert(entry);
        }
    }
}

bool Profile::dirty() const
{
    if (changes_.full || changes_.header) {
        return true;
    }
    for (std::size_t index = 0; index < behaviour_class_count; ++index) {
        if (!changes_.changed[index].empty() || !changes_.removed[index].empty()) {
            return true;
        }
    }
    return false;
}

void Profile::mark_saved()
{
    changes_ = {};
    persisted_ = true;
}

} // namespace vigil_drift
