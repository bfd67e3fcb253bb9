// SPDX-License-Identifier: Apache-2.0
// What a class of a profile holds: entry text (observation.hpp) and when and
// how often it was seen.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace vigil_drift {

struct EntryStats {
    std::uint64_t first_seen_ns = 0; // unix ns
    std::uint64_t times_seen = 0;

    bool operator==(const EntryStats &) const = default;
};

// Sorted by entry text: exports list entries in this order, and files under
// one directory sit next to each other.
using EntryMap = std::map<std::string, EntryStats, std::less<>>;
using EntrySet = std::set<std::string, std::less<>>;

} // namespace vigil_drift
