// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <vigil/glob_list.hpp>

TEST_SUITE("sdk")
{
    TEST_CASE("glob list: '*' crosses '/' unless told not to; case only when asked")
    {
        vigil::GlobList allowed({"*/gdb", "/usr/lib/*.so"});
        CHECK(allowed.matches("/usr/bin/gdb"));
        CHECK(allowed.matches("/usr/lib/x86_64-linux-gnu/libjemalloc.so"));
        CHECK(allowed.match("/opt/gdb") == "*/gdb");
        CHECK_FALSE(allowed.matches("/usr/bin/GDB"));
        CHECK_FALSE(allowed.matches("/usr/bin/gdbserver"));

        vigil::GlobList paths({"/run/secrets/*/token"}, {.wildcards_cross_slash = false});
        CHECK(paths.matches("/run/secrets/sa/token"));
        CHECK_FALSE(paths.matches("/run/secrets/a/b/token"));

        vigil::GlobList names({"xmrig*"}, {.ignore_case = true});
        CHECK(names.matches("XMRig-6.21"));
        CHECK_FALSE(vigil::GlobList().matches("anything"));
        CHECK(vigil::GlobList().empty());
    }
}
