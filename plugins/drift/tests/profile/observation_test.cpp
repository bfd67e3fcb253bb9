// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "profile/entry_text.hpp"
#include "profile/observation.hpp"

using namespace vigil_drift;

TEST_CASE("observations have canonical entry text")
{
    auto exec = exec_observation("/usr/bin/curl", "curl", "/bin/sh");
    CHECK(exec.behaviour == BehaviourClass::executables);
    CHECK(exec.entry == "/usr/bin/curl argv0=curl parent=/bin/sh");
    CHECK(exec_observation("/opt/my app", "my app", "").entry == "/opt/my%20app argv0=my%20app parent=");

    CHECK(file_observation("/tmp/x", true).entry == "write /tmp/x");
    CHECK(file_observation("/etc/passwd", false).entry == "read /etc/passwd");
    CHECK(file_observation("/tmp/a*b%", true).entry == "write /tmp/a%2Ab%25");

    CHECK(connection_observation("TCP", "10.0.0.5", 443).entry == "tcp 10.0.0.5:443");
    CHECK(connection_observation("udp", "2001:DB8:0::1", 53).entry == "udp [2001:db8::1]:53");
    CHECK(connection_observation("tcp", "::ffff:10.1.2.3", 80).entry == "tcp 10.1.2.3:80");
    CHECK(connection_observation("tcp", "[2001:db8::1]", 80).entry == "tcp [2001:db8::1]:80");

    CHECK(listening_observation("tcp", 8080).entry == "tcp 8080");
    CHECK(dns_observation("API.Example.COM.").entry == "api.example.com");
    CHECK(dns_observation("example.com").behaviour == BehaviourClass::dns);
}

TEST_CASE("entry parts escape and unescape")
{
    CHECK(escape_part("a b\n*%") == "a%20b%0A%2A%25");
    CHECK(unescape_part("a%20b%0A%2A%25") == "a b\n*%");
    CHECK(unescape_part("100%") == "100%");
    CHECK(unescape_part("%zz") == "%zz");
    CHECK(escape_part("caf\xc3\xa9") == "caf\xc3\xa9");
}
