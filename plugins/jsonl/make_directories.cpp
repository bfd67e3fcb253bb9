// SPDX-License-Identifier: Apache-2.0
#include "make_directories.hpp"

#include <cerrno>

#include <sys/stat.h>

namespace vigil_jsonl {

int make_parent_directories(const std::string &file_path)
{
    auto last_slash = file_path.rfind('/');
    if (last_slash == std::string::npos || last_slash == 0) {
        return 0; // relative to the working directory, or directly under /
    }
    std::string directory = file_path.substr(0, last_slash);
    // Every prefix ending before a '/' (and the directory itself), outermost first.
    for (std::size_t end = 1; end <= directory.size(); ++end) {
        if (end != directory.size() && directory[end] != '/') {
            continue;
        }
        std::string prefix = directory.substr(0, end);
        if (::mkdir(prefix.c_str(), 0750) != 0 && errno != EEXIST) {
            return -errno;
        }
    }
    return 0;
}

} // namespace vigil_jsonl
