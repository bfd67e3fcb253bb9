// SPDX-License-Identifier: Apache-2.0
// Directories only the sensor's user may enter: what the sensor and its
// plugins keep on disk names processes, pods and images of the node.
#pragma once

#include <expected>
#include <string>

namespace vigil::util {

// Creates @path and any missing parent, each new one with mode 0700 whatever
// the umask. Directories that exist are left as they are. The error says
// which directory could not be made, and why.
std::expected<void, std::string> make_private_directory(const std::string &path);

} // namespace vigil::util
