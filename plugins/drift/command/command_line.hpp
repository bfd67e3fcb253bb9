// SPDX-License-Identifier: Apache-2.0
// vigil-profiles' command line: which subcommand, on what, and where the
// profile database is.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil_drift {

// Bad usage: exit status 2 with the message and a pointer to --help.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CommandLine {
    bool help = false;
    std::string subcommand;             // list, show, export, import, reset
    std::vector<std::string> arguments; // keys, or the import file
    std::optional<std::string> output;  // export -o FILE
    std::optional<std::string> version; // show/reset: one version only
    std::uint64_t now_ns = 0;           // --at, or the clock
    std::filesystem::path database;     // <state dir>/drift/profiles.db
};

// Throws UsageError. `state_directory_variable` is $VIGIL_STATE_DIRECTORY
// (null when unset); --state-dir wins over it.
CommandLine parse_command_line(int argc, const char *const *argv, const char *state_directory_variable,
                               std::uint64_t clock_now_ns);

std::string usage_text();

} // namespace vigil_drift
