// SPDX-License-Identifier: Apache-2.0
// The lists of the configuration: executable name globs and pool domain patterns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <vigil/glob_list.hpp>

namespace vigil_cryptomining {

// Shell globs (fnmatch), compared without regard to case: "xmrig", "srbminer*", "*/cc1plus".
class GlobList : public vigil::GlobList {
public:
    GlobList() = default;
    explicit GlobList(std::vector<std::string> patterns) : vigil::GlobList(std::move(patterns), {true, true}) {}
};

// Domain patterns: "*.nanopool.org" matches nanopool.org and every name below it;
// a pattern without "*." matches that exact name. Case and a trailing dot do not matter.
class DomainList {
public:
    DomainList() = default;
    // Throws std::invalid_argument for an empty pattern or one with '*' elsewhere than a leading "*.".
    explicit DomainList(const std::vector<std::string> &patterns);

    // The pattern @name matches, as configured, or "" when none does.
    std::string_view match(std::string_view name) const;

private:
    struct Entry {
        std::string configured;
        std::string domain; // lower case, without "*." and trailing dot
        bool subdomains = false;
    };
    std::vector<Entry> entries_;
};

// The last path component: "/usr/bin/xmrig" -> "xmrig".
std::string_view base_name(std::string_view path);

// @text in lower case (ASCII).
std::string lower_case(std::string_view text);

} // namespace vigil_cryptomining
