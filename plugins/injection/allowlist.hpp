// SPDX-License-Identifier: Apache-2.0
// Allow lists of the injection plugin's configuration: shell glob patterns
// (fnmatch) that exempt known, intended behaviour from a rule.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <vigil/glob_list.hpp>

namespace vigil_injection {

// '*' also matches '/', so "*/libjemalloc.so*" covers every directory a library may be installed in.
using vigil::GlobList;

// The libraries an LD_PRELOAD value names: the dynamic loader separates them
// with spaces or colons. Empty for a value that preloads nothing.
std::vector<std::string> preload_libraries(std::string_view value);

// True when every library @value preloads is allowed; false for a value that
// preloads nothing, which is no finding to allow.
bool preload_allowed(std::string_view value, const GlobList &allowed);

} // namespace vigil_injection
