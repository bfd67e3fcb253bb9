// SPDX-License-Identifier: Apache-2.0
// Profiles as a JSON document people can review, diff and edit, and import.
//
// {
//   "format": "vigil-drift-profiles",
//   "format_version": 1,
//   "profiles": [                       // sorted by key, then version
//     {
//       "key": "shop/Deployment/cart/app",   // ProfileKey::text()
//       "source": "api",
//       "version": "5d8f7c9b",
//       "inherited_from": "",               // the version it started from
//       "created": "2024-05-01T10:00:00.000000000Z",
//       "first_seen": "2024-05-01T10:00:01.250000000Z",  // null: never
//       "last_seen": "2024-05-09T08:00:00.000000000Z",
//       "classes": {                       // all five, in this order
//         "executables": {
//           "state": "stable",
//           "learning_start": "...", "last_new": "...", "state_since": "...",
//           "learned_ns": 691200000000000,
//           "observations": 120, "drift": 0, "rejected": 0,
//           "cap_hit": false, "partial": false, "partial_reason": "",
//           "entries": [                   // sorted by entry
//             {"entry": "/usr/bin/curl argv0=curl parent=/bin/sh",
//              "first_seen": "...", "times_seen": 12}
//           ]
//         },
//         "files": {...}, "connections": {...}, "listening": {...}, "dns": {...}
//       }
//     }
//   ]
// }
//
// Times are RFC 3339 in UTC with nine fraction digits (lossless unix ns);
// null stands for "never" (0). Entries are in the formats of observation.hpp.
// Keys within objects keep the order above. On import, "format",
// "format_version", "profiles", and per profile "key", "version", "created"
// and "classes", and per class "state" and "entries" (each with "entry")
// are required; the rest default (times to "created", counters to 0);
// unknown fields are errors (a typo would otherwise pass silently).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "profile/profile.hpp"

namespace vigil_drift {

inline constexpr int profile_json_format_version = 1;
inline constexpr std::string_view profile_json_format = "vigil-drift-profiles";

// A rejected import: what() is "<JSON path>: <problem>", e.g.
// "profiles[2].classes.files.entries[5].entry: expected a string".
class ProfileJsonError : public std::runtime_error {
public:
    ProfileJsonError(const std::string &path, const std::string &problem);
    const std::string &path() const { return path_; }

private:
    std::string path_;
};

// The document for these profiles (in the order above), indented, with a
// final newline.
std::string export_profiles_json(std::vector<const Profile *> profiles);

// Parses a document; throws ProfileJsonError naming the first bad field
// ("" as the path for text that is not JSON at all).
std::vector<Profile> import_profiles_json(std::string_view text);

} // namespace vigil_drift
