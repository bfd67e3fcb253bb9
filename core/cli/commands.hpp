// SPDX-License-Identifier: Apache-2.0
// The sensor's commands. Each returns the process exit code:
// 0 success, 1 failure at run time, 2 bad usage or configuration.
#pragma once

#include <optional>
#include <string>

namespace vigil::cli {

struct CommandOptions {
    std::optional<std::string> config_path; // -c/--config
};

int run_command(const CommandOptions &options);
int check_command(const CommandOptions &options);
int plugins_command(const CommandOptions &options);

} // namespace vigil::cli
