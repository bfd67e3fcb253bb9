// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_trust.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace vigil::plugins {
namespace {

std::string octal_mode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

} // namespace

std::optional<std::string> untrusted_reason(const struct stat &status, bool is_directory)
{
    if (is_directory ? !S_ISDIR(status.st_mode) : !S_ISREG(status.st_mode)) {
        return is_directory ? "is not a directory" : "is not a regular file";
    }
    if (status.st_uid != 0) {
        return "is owned by uid " + std::to_string(status.st_uid) + ", not root";
    }
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return "is writable by group or others (mode " + octal_mode(status.st_mode) + ")";
    }
    return std::nullopt;
}

std::optional<std::string> check_directory_trust(const std::string &directory)
{
    struct stat status {};
    if (stat(directory.c_str(), &status) != 0) {
        return "plugin directory " + directory + ": " + std::strerror(errno);
    }
    if (auto reason = untrusted_reason(status, true)) {
        return "plugin directory " + directory + " " + *reason;
    }
    return std::nullopt;
}

std::optional<std::string> check_file_trust(const std::string &path)
{
    char resolved[PATH_MAX];
    if (realpath(path.c_str(), resolved) == nullptr) {
        return path + ": " + std::strerror(errno);
    }
    struct stat status {};
    if (stat(resolved, &status) != 0) {
        return std::string(resolved) + ": " + std::strerror(errno);
    }
    if (auto reason = untrusted_reason(status, false)) {
        return std::string(resolved) + " " + *reason;
    }
    // A symlink may lead out of the checked directory: check where the file really lives too.
    auto real_directory = std::filesystem::path(resolved).parent_path().string();
    return check_directory_trust(real_directory);
}

} // namespace vigil::plugins
