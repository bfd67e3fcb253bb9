// SPDX-License-Identifier: Apache-2.0
// A list of shell glob patterns (fnmatch) from a plugin's configuration, such
// as executables allowed to do what a rule would otherwise report. Header-only.
//
//   vigil::GlobList allowed(config.get_list("allowed_tracers"));
//   if (allowed.matches(process->exe)) { ... }
#pragma once

#include <fnmatch.h>

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

class GlobList {
public:
    struct Options {
        // '*' and '?' also match '/', so "*/ffmpeg" covers every directory; false stops them at '/'.
        bool wildcards_cross_slash = true;
        bool ignore_case = false;
    };

    GlobList() = default;
    explicit GlobList(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}
    GlobList(std::vector<std::string> patterns, Options options) : patterns_(std::move(patterns)), options_(options) {}

    // The first pattern @value matches, or "" when none does.
    std::string_view match(std::string_view value) const
    {
        if (patterns_.empty()) {
            return {};
        }
        const std::string text(value); // fnmatch wants a NUL-terminated string
        const int flags =
            (options_.wildcards_cross_slash ? 0 : FNM_PATHNAME) | (options_.ignore_case ? FNM_CASEFOLD : 0);
        for (const auto &pattern : patterns_) {
            if (fnmatch(pattern.c_str(), text.c_str(), flags) == 0) {
                return pattern;
            }
        }
        return {};
    }
    bool matches(std::string_view value) const { return !match(value).empty(); }
    bool empty() const { return patterns_.empty(); }
    const std::vector<std::string> &patterns() const { return patterns_; }

private:
    std::vector<std::string> patterns_;
    Options options_;
};

} // namespace vigil
