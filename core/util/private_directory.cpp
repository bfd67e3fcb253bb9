// SPDX-License-Identifier: Apache-2.0
#include "core/util/private_directory.hpp"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace vigil::util {
namespace {

std::expected<void, std::string> make_one(const std::string &directory)
{
    if (::mkdir(directory.c_str(), 0700) == 0) {
        // mkdir's mode is narrowed by the umask, never widened; chmod makes it exactly 0700.
        if (::chmod(directory.c_str(), 0700) != 0) {
            return std::unexpected(directory + ": cannot make it owner-only: " + std::strerror(errno));
        }
        return {};
    }
    if (errno != EEXIST) {
        return std::unexpected(directory + ": cannot create it: " + std::strerror(errno));
    }
    struct stat status {};
    if (::stat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
        return std::unexpected(directory + ": exists and is not a directory");
    }
    return {};
}

} // namespace

std::expected<void, std::string> make_private_directory(const std::string &path)
{
    if (path.empty()) {
        return std::unexpected("no directory given");
    }
    // Each prefix ending before a '/', then the path itself.
    for (auto slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
        if (slash == path.size() - 1 || path[slash - 1] == '/') {
            continue; // a trailing or doubled slash
        }
        if (auto made = make_one(path.substr(0, slash)); !made) {
            return made;
        }
    }
    return make_one(path);
}

} // namespace vigil::util
