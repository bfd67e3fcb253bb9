// SPDX-License-Identifier: Apache-2.0
#include "token_paths.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>

namespace vigil_lateral_movement {
namespace {

std::vector<std::string_view> split(std::string_view path)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        if (end > start) {
            parts.push_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return parts;
}

// Applies "." and ".." to @parts; a ".." with nothing left to remove is kept only for relative paths.
std::vector<std::string_view> resolve(const std::vector<std::string_view> &parts, bool absolute)
{
    std::vector<std::string_view> kept;
    for (auto part : parts) {
        if (part == ".") {
            continue;
        }
        if (part == "..") {
            if (!kept.empty() && kept.back() != "..") {
                kept.pop_back();
            } else if (!absolute) {
                kept.push_back(part);
            }
            continue;
        }
        kept.push_back(part);
    }
    return kept;
}

std::string join(const std::vector<std::string_view> &parts, bool absolute)
{
    std::string text = absolute ? "/" : "";
    for (std::size_t index = 0; index < parts.size(); ++index) {
        if (index > 0) {
            text += '/';
        }
        text += parts[index];
    }
    return text;
}

} // namespace

std::string normalize_path(std::string_view path)
{
    const bool absolute = path.starts_with("/");
    return join(resolve(split(path), absolute), absolute);
}

std::vector<std::string> literal_prefixes(const std::vector<std::string> &patterns, std::size_t limit)
{
    std::vector<std::string> prefixes;
    for (const auto &pattern : patterns) {
        auto wildcard = pattern.find_first_of("*?[\\");
        auto literal = std::string_view(pattern).substr(0, wildcard);
        // Up to and with the last '/' of the literal part: a directory.
        auto slash = literal.rfind('/');
        if (!pattern.starts_with("/") || slash == std::string_view::npos || slash == 0) {
            throw std::invalid_argument("'" + pattern +
                                        "' must be an absolute path whose first directory has no wildcard");
        }
        prefixes.emplace_back(literal.substr(0, std::min(slash + 1, limit)));
    }
    // Shortest first, so that a prefix of another absorbs it.
    std::sort(prefixes.begin(), prefixes.end(), [](const std::string &a, const std::string &b) {
        return a.size() < b.size() || (a.size() == b.size() && a < b);
    });
    std::vector<std::string> kept;
    for (const auto &prefix : prefixes) {
        bool covered = std::any_of(kept.begin(), kept.end(),
                                   [&](const std::string &shorter) { return prefix.starts_with(shorter); });
        if (!covered) {
            kept.push_back(prefix);
        }
    }
    return kept;
}

std::optional<std::string> relative_token_path(const RelativeOpen &open)
{
    if (open.path.starts_with("/") || open.base_name.empty()) {
        return std::nullopt;
    }
    std::vector<std::string_view> parts;
    if (!open.base_parent_name.empty() && open.base_parent_name != "/") {
        parts.push_back(open.base_parent_name);
    }
    if (open.base_name != "/") {
        parts.push_back(open.base_name);
    }
    for (auto part : split(open.path)) {
        parts.push_back(part);
    }
    auto kept = resolve(parts, false);
    auto size = kept.size();
    if (size < 2 || kept[size - 1] != "token") {
        return std::nullopt;
    }
    bool direct = kept[size - 2] == "serviceaccount";
    bool through_kubelet_directory =
        size >= 3 && kept[size - 3] == "serviceaccount" && kept[size - 2].starts_with("..") && kept[size - 2] != "..";
    if (!direct && !through_kubelet_directory) {
        return std::nullopt;
    }
    return join(kept, false);
}

} // namespace vigil_lateral_movement
