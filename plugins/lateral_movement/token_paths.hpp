// SPDX-License-Identifier: Apache-2.0
// Which opened paths are a service-account token: the configured patterns
// (shell globs on the whole, lexically normalized path), the literal directory
// prefixes the kernel side compares, and the judgement of relative paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vigil/glob_list.hpp>

namespace vigil_lateral_movement {

// Shell glob patterns (fnmatch). @match_slash: whether '*' also matches '/'.
class GlobList : public vigil::GlobList {
public:
    GlobList() = default;
    GlobList(std::vector<std::string> patterns, bool match_slash)
        : vigil::GlobList(std::move(patterns), {match_slash, false})
    {
    }
};

// @path with "//" and "/./" collapsed and ".." applied, as the kernel would
// walk it without following symbolic links. Relative paths stay relative; a
// ".." above their start is kept.
std::string normalize_path(std::string_view path);

// The literal directory each pattern starts with, up to its first wildcard,
// shortened to at most @limit bytes and without repeats or prefixes of each
// other: what the kernel side compares an absolute path with. Throws
// std::invalid_argument for a pattern that is not absolute or starts with a
// wildcard, which would make every open a candidate.
std::vector<std::string> literal_prefixes(const std::vector<std::string> &patterns, std::size_t limit);

// A relative path and the names of the directory it starts in and of its parent.
struct RelativeOpen {
    std::string_view path;
    std::string_view base_name;
    std::string_view base_parent_name;
};

// "<parent>/<base>/<path>" normalized, e.g. "serviceaccount/..data/token",
// when it names a file "token" directly in a directory called
// "serviceaccount" or in one of the kubelet's "..<name>" directories inside
// it; nullopt otherwise. Relative opens are judged by these fixed names:
// without the full directory path the configured patterns cannot apply.
std::optional<std::string> relative_token_path(const RelativeOpen &open);

} // namespace vigil_lateral_movement
