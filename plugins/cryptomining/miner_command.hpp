// SPDX-License-Identifier: Apache-2.0
// What makes an exec look like a cryptocurrency miner: the program's name,
// a mining pool URL among its arguments, or flags only miners take. Pure
// functions of the exec's path and arguments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "patterns.hpp"

namespace vigil_cryptomining {

// The arguments of an exec record (each NUL-terminated, as the kernel lays out argv) into @arguments.
void split_arguments(std::string_view packed, std::vector<std::string_view> &arguments);

struct MinerSignals {
    std::string matched_name;             // the exe's or argv[0]'s base name, if it is a known miner's
    std::string pool_url;                 // the first stratum URL among the arguments
    std::vector<std::string> miner_flags; // miner-only flags, with their value where it mattered

    bool any() const { return !matched_name.empty() || !pool_url.empty() || !miner_flags.empty(); }
};

// Looks at an exec of @exe (the path exec was given) with @arguments (argv[0] first).
MinerSignals find_miner_signals(std::string_view exe, const std::vector<std::string_view> &arguments,
                                const GlobList &miner_names);

// The stratum URL @argument is ("stratum+tcp://host:port", "stratum2+ssl://...") or gives as an option's
// value ("--url=stratum+tcp://...", "-ostratum+tcp://..."); "" otherwise, also for a URL inside a longer
// text such as a shell's -c command.
std::string_view stratum_url(std::string_view argument);

// True for a mining algorithm name such as "rx/0", "cryptonight", "kawpow" (any case).
bool is_mining_algorithm(std::string_view name);

// True for the ticker or name of a coin mined with CPUs or GPUs: "monero", "XMR", "rvn".
bool is_mined_coin(std::string_view name);

} // namespace vigil_cryptomining
