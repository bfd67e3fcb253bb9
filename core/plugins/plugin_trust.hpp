// SPDX-License-Identifier: Apache-2.0
// Plugins run inside the sensor, as root. A plugin file anyone but root could
// have replaced is therefore refused, and so is every plugin in a directory
// anyone but root could write to (they could swap a file in).
#pragma once

#include <optional>
#include <string>
#include <sys/stat.h>

namespace vigil::plugins {

// Why @file (a plugin, or its directory when @is_directory) is not trusted; nullopt if it is.
std::optional<std::string> untrusted_reason(const struct stat &status, bool is_directory);

// Checks the plugin directory: nullopt if trusted, else the reason naming it.
std::optional<std::string> check_directory_trust(const std::string &directory);

// Checks one plugin file (symlinks resolved: the file loaded is what is checked, and its directory).
std::optional<std::string> check_file_trust(const std::string &path);

} // namespace vigil::plugins
