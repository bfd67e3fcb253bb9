// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

#include "core/util/private_directory.hpp"

using vigil::util::make_private_directory;

namespace {

unsigned mode_of(const std::filesystem::path &path)
{
    struct stat status {};
    REQUIRE(::stat(path.c_str(), &status) == 0);
    return status.st_mode & 07777;
}

struct TemporaryDirectory {
    TemporaryDirectory()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "vigil-state-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TemporaryDirectory() { std::filesystem::remove_all(path); }
    std::filesystem::path path;
};

} // namespace

TEST_CASE("private directory: made with its missing parents, each mode 0700 whatever the umask")
{
    TemporaryDirectory temporary;
    auto previous = ::umask(0);
    auto made = make_private_directory((temporary.path / "lib" / "vigil" / "drift").string());
    ::umask(previous);
    REQUIRE_MESSAGE(made.has_value(), made.error());
    CHECK(mode_of(temporary.path / "lib") == 0700);
    CHECK(mode_of(temporary.path / "lib" / "vigil") == 0700);
    CHECK(mode_of(temporary.path / "lib" / "vigil" / "drift") == 0700);
}

TEST_CASE("private directory: one that exists is left as it is; a file in the way is an error")
{
    TemporaryDirectory temporary;
    auto existing = temporary.path / "shared";
    std::filesystem::create_directory(existing);
    ::chmod(existing.c_str(), 0755);
    CHECK(make_private_directory(existing.string() + "/").has_value());
    CHECK(mode_of(existing) == 0755);

    std::ofstream(temporary.path / "file") << "x";
    auto blocked = make_private_directory((temporary.path / "file" / "drift").string());
    REQUIRE_FALSE(blocked.has_value());
    CHECK(blocked.error().find((temporary.path / "file").string()) != std::string::npos);
    CHECK_FALSE(make_private_directory("").has_value());
}
