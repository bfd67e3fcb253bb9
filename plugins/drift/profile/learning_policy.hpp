// SPDX-License-Identifier: Apache-2.0
// How profiles learn and how much they may hold. Every field is a setting of
// the drift plugin; the sensor stores the policy it runs with in the profile
// database (ProfileStore::save_policy) so that vigil-profiles computes states
// with the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "profile/behaviour.hpp"

namespace vigil_drift {

inline constexpr std::uint64_t nanoseconds_per_second = 1'000'000'000;
inline constexpr std::uint64_t nanoseconds_per_hour = 3600 * nanoseconds_per_second;
inline constexpr std::uint64_t nanoseconds_per_day = 24 * nanoseconds_per_hour;

struct LearningPolicy {
    // A class learns at least this long: a week covers weekly jobs and the
    // weekday/weekend difference.
    std::uint64_t minimum_ns = 7 * nanoseconds_per_day;
    // ...and then becomes stable once it has seen nothing new for this long.
    // One day is one full daily cycle (nightly jobs, backups, business-hours
    // traffic) without a surprise; shorter would call a class stable after a
    // quiet night, longer would push most workloads to the maximum.
    std::uint64_t quiet_ns = 1 * nanoseconds_per_day;
    // A class that never goes quiet becomes stable at this age anyway (what
    // it has not done in two weeks is worth an alert).
    std::uint64_t maximum_ns = 14 * nanoseconds_per_day;
    // After a rollout, the new version learns on top of the old one's entries
    // this long, without drift.
    std::uint64_t relearn_ns = 3 * nanoseconds_per_hour;
    // Entries per class; a class that needs more is unstable.
    std::size_t entry_cap = 1000;
    // Collapse thresholds (collapse.hpp): distinct children of a directory,
    std::size_t directory_children = 16;
    // distinct addresses of one /24 or /64 with the same protocol and port,
    std::size_t network_addresses = 16;
    // and distinct leftmost labels under one DNS parent.
    std::size_t domain_labels = 16;
    // Versions kept per workload and container (running ones are never dropped).
    std::size_t max_versions_per_workload = 3;
    // Profiles in all (idle ones are evicted, least recently seen first).
    std::size_t max_profiles = 5000;

    bool operator==(const LearningPolicy &) const = default;
};

// The collapse threshold of a class (executables and listening never collapse).
constexpr std::size_t collapse_threshold(BehaviourClass behaviour, const LearningPolicy &policy)
{
    switch (behaviour) {
    case BehaviourClass::files:
        return policy.directory_children;
    case BehaviourClass::connections:
        return policy.network_addresses;
    case BehaviourClass::dns:
        return policy.domain_labels;
    case BehaviourClass::executables:
    case BehaviourClass::listening:
        break;
    }
    return 0;
}

} // namespace vigil_drift
