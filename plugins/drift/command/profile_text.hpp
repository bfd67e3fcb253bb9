// SPDX-License-Identifier: Apache-2.0
// Profiles as text for people: the list and show output of vigil-profiles.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "profile/learning_policy.hpp"
#include "profile/profile.hpp"

namespace vigil_drift {

// "3d4h", "2h5m", "40s", "0s": the two largest units.
std::string format_duration(std::uint64_t ns);

// One profile: a heading line, then per class its state, progress through
// the learning window in percent and time left, entry count and flags.
void write_profile_summary(std::ostream &out, const Profile &profile, std::uint64_t now_ns,
                           const LearningPolicy &policy);

// The summary followed by each class's entries.
void write_profile_entries(std::ostream &out, const Profile &profile, std::uint64_t now_ns,
                           const LearningPolicy &policy);

} // namespace vigil_drift
