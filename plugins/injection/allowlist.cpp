// SPDX-License-Identifier: Apache-2.0
#include "allowlist.hpp"

#include <fnmatch.h>

namespace vigil_injection {

std::vector<std::string> preload_libraries(std::string_view value)
{
    std::vector<std::string> libraries;
    std::size_t start = 0;
    while (start < value.size()) {
        auto end = value.find_first_of(" :\t\n", start);
        if (end == std::string_view::npos) {
            end = value.size();
        }
        if (end > start) {
            libraries.emplace_back(value.substr(start, end - start));
        }
        start = end + 1;
    }
    return libraries;
}

bool preload_allowed(std::string_view value, const GlobList &allowed)
{
    auto libraries = preload_libraries(value);
    if (libraries.empty()) {
        return false;
    }
    for (const auto &library : libraries) {
        if (!allowed.matches(library)) {
            return false;
        }
    }
    return true;
}

} // namespace vigil_injection
