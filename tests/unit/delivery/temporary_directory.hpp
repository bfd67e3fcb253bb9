// SPDX-License-Identifier: Apache-2.0
// A fresh directory under the system's temporary directory, removed with its
// contents when the test is done.
#pragma once

#include <filesystem>
#include <string>

namespace vigil::testing {

class TemporaryDirectory {
public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory &) = delete;
    TemporaryDirectory &operator=(const TemporaryDirectory &) = delete;

    const std::filesystem::path &path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The whole content of the file at @path ("" if it cannot be read).
std::string read_file(const std::filesystem::path &path);

} // namespace vigil::testing
