// SPDX-License-Identifier: Apache-2.0
// Reading a whole (small) text file, keeping errno so that the operator is
// told why it could not be read, not only that it could not.
#pragma once

#include <expected>
#include <string>

namespace vigil::config {

// The file's content, or the errno of the first failing call.
std::expected<std::string, int> read_text_file(const std::string &path);

} // namespace vigil::config
