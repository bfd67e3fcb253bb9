// SPDX-License-Identifier: Apache-2.0
// Which profile an event feeds: one per workload and container, so that all
// replicas of a Deployment's container learn together.
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vigil_drift {

struct ProfileKey {
    std::string namespace_name;
    std::string workload_kind; // the top-level owner's kind, e.g. "Deployment"
    std::string workload_name;
    std::string container;
    // Where the key came from: "api" (owner references from the API server)
    // or "cgroup" (the lead's fallback without one). Informational: it is
    // not part of the key's identity, text, ordering or hash.
    std::string source = "api";

    // "namespace/Kind/name/container". In each part '%' is written "%25"
    // and '/' "%2F", so the text always has exactly three '/' separators.
    std::string text() const;
    // The inverse of text(): nullopt unless the text has exactly four parts.
    // The source is not in the text; parse leaves it "api".
    static std::optional<ProfileKey> parse(std::string_view text);

    bool operator==(const ProfileKey &other) const;
    std::strong_ordering operator<=>(const ProfileKey &other) const;
};

struct ProfileKeyHash {
    std::size_t operator()(const ProfileKey &key) const;
};

} // namespace vigil_drift
