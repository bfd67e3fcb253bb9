// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "core/plugins/plugin_trust.hpp"

using namespace vigil::plugins;

namespace {

struct stat make_status(uid_t owner, mode_t mode)
{
    struct stat status {};
    status.st_uid = owner;
    status.st_mode = mode;
    return status;
}

} // namespace

TEST_CASE("plugin trust: only root's files, writable by root alone, are trusted")
{
    CHECK_FALSE(untrusted_reason(make_status(0, S_IFREG | 0644), false).has_value());
    CHECK_FALSE(untrusted_reason(make_status(0, S_IFREG | 0755), false).has_value());
    CHECK_FALSE(untrusted_reason(make_status(0, S_IFDIR | 0755), true).has_value());

    auto owned_by_user = untrusted_reason(make_status(1000, S_IFREG | 0644), false);
    REQUIRE(owned_by_user.has_value());
    CHECK(owned_by_user->find("uid 1000") != std::string::npos);

    auto world_writable = untrusted_reason(make_status(0, S_IFREG | 0646), false);
    REQUIRE(world_writable.has_value());
    CHECK(world_writable->find("writable") != std::string::npos);
    CHECK(world_writable->find("0646") != std::string::npos);

    auto group_writable_directory = untrusted_reason(make_status(0, S_IFDIR | 0775), true);
    REQUIRE(group_writable_directory.has_value());
    CHECK(group_writable_directory->find("writable") != std::string::npos);

    CHECK(untrusted_reason(make_status(0, S_IFDIR | 0755), false).has_value()); // a directory is not a plugin file
    CHECK(untrusted_reason(make_status(0, S_IFREG | 0644), true).has_value());  // nor a file a directory
}
