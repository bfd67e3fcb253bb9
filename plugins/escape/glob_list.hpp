// SPDX-License-Identifier: Apache-2.0
// Allow lists of the escape plugin's configuration: shell glob patterns
// (fnmatch) that exempt known, intended behaviour from a rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace escape_plugin {

class GlobList {
public:
    GlobList() = default;
    explicit GlobList(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}

    // True when @value matches one of the patterns ('*' also matches '/').
    bool matches(std::string_view value) const;
    bool empty() const { return patterns_.empty(); }

private:
    std::vector<std::string> patterns_;
};

} // namespace escape_plugin
