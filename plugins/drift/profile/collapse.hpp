// SPDX-License-Identifier: Apache-2.0
// Collapsing: keeping a class from growing forever on names that vary, such as
// /tmp/upload-83hf2.png, by replacing crowded groups of entries with a pattern.
//
// files  A directory with more than `threshold` distinct children (files or
//        subdirectories seen in entries under it) is collapsed: the child's
//        path component becomes '*' in every entry under the directory, so
//        "write /tmp/a" becomes "write /tmp/*" and "write /tmp/s-1/data"
//        becomes "write /tmp/*/data". A '*' stands for exactly one path
//        component: "write /tmp/*" covers "write /tmp/x" but neither
//        "write /tmp/x/y" nor "read /tmp/x". One level only, because a
//        pattern covering a whole subtree would let a single busy directory
//        (/tmp, /var/lib/app) hide anything written anywhere below it, and the
//        per-session directories such a pattern is for are handled by the
//        component rule above. Once a directory has been collapsed, a new
//        entry under it is collapsed at once ("write /tmp/new/z" is stored as
//        "write /tmp/*/z"). The root directory and relative paths' first
//        level are never collapsed: "/*/shadow" would cover /etc and /root.
//        Read and write entries are separate groups.
// dns    The same rule on labels, from the right: more than `threshold`
//        distinct leftmost labels under one parent collapse to
//        "*.parent"; '*' stands for exactly one label, and a parent must have
//        at least two labels ("*.com" is never made).
// connections  More than `threshold` distinct IPv4 addresses in one /24 with
//        the same protocol and port collapse to "tcp a.b.c.0/24:port";
//        IPv6 addresses likewise by /64 ("tcp [2001:db8::/64]:443"). A
//        network covers the addresses inside it, same protocol and port only.
// executables and listening ports are never collapsed: both are small sets,
//        and a new executable is exactly what drift is about.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "profile/behaviour.hpp"
#include "profile/entries.hpp"

namespace vigil_drift {

// Whether the entry is a collapsed pattern of its class.
bool is_pattern(BehaviourClass behaviour, std::string_view entry);

// Whether `pattern` covers `entry` (an entry covers itself).
bool covers(BehaviourClass behaviour, std::string_view pattern, std::string_view entry);

// The first of `patterns` covering `entry`, if any.
std::optional<std::string> covering_pattern(BehaviourClass behaviour, std::string_view entry, const EntrySet &patterns);

// A collapse to apply: each renamed entry is replaced by its pattern (entries
// that meet under one pattern merge), and the new entry is stored as
// `new_entry`.
struct Collapse {
    std::vector<std::pair<std::string, std::string>> renames; // existing entry -> pattern
    std::string new_entry;
};

// The collapse that adding `entry` (not yet in `entries`, and covered by no
// pattern) to `entries` calls for, if any. Apply it and ask again with the
// returned new_entry: a collapse can crowd the level above.
std::optional<Collapse> find_collapse(BehaviourClass behaviour, std::string_view entry, const EntryMap &entries,
                                      std::size_t threshold);

} // namespace vigil_drift
