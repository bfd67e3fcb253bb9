// SPDX-License-Identifier: Apache-2.0
// What each vigil-profiles subcommand does.
#pragma once

#include <ostream>

#include "command_line.hpp"

namespace vigil_drift {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1; // the database or a file failed
inline constexpr int exit_usage = 2;   // bad usage or an unknown key

// Runs the subcommand; store and file errors propagate as exceptions
// (ProfileStoreError, ProfileJsonError, std::runtime_error), bad usage as
// UsageError. Returns the exit status otherwise.
int run_subcommand(const CommandLine &line, std::ostream &out, std::ostream &err);

} // namespace vigil_drift
