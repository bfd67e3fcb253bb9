// SPDX-License-Identifier: Apache-2.0
// Creating the directories a log file's path needs, like `mkdir -p`.
#pragma once

#include <string>

namespace vigil_jsonl {

// Creates every missing directory above @file_path with mode 0750 (alerts are
// not for every local user). Returns 0 or a negative errno.
int make_parent_directories(const std::string &file_path);

} // namespace vigil_jsonl
