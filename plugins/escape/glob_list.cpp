// SPDX-License-Identifier: Apache-2.0
#include "glob_list.hpp"

#include <fnmatch.h>

namespace escape_plugin {

bool GlobList::matches(std::string_view value) const
{
    if (patterns_.empty()) {
        return false;
    }
    const std::string text(value);
    for (const auto &pattern : patterns_) {
        if (fnmatch(pattern.c_str(), text.c_str(), 0) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace escape_plugin
