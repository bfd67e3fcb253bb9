// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "framing.hpp"
#include "transport.hpp"

using namespace vigil_syslog;

TEST_CASE("octet-counted frames round-trip")
{
    std::string request;
    append_frame(request, "<131>1 - - - - - - hello");
    append_frame(request, "<131>1 - - - - - - a\nb");
    CHECK(request == "24 <131>1 - - - - - - hello22 <131>1 - - - - - - a\nb");
    auto messages = split_frames(request);
    REQUIRE(messages);
    REQUIRE(messages->size() == 2);
    CHECK((*messages)[1] == "<131>1 - - - - - - a\nb");
}

TEST_CASE("a request that is not octet-counted frames is refused")
{
    CHECK_FALSE(split_frames("5 abc"));
    CHECK_FALSE(split_frames("05 abcde"));
    CHECK_FALSE(split_frames("<13>1 x"));
    CHECK_FALSE(split_frames("3x abc"));
    CHECK(split_frames("")->empty());
}

TEST_CASE("addresses are host:port or [v6]:port")
{
    auto v4 = parse_host_port("127.0.0.1:514");
    REQUIRE(v4);
    CHECK(v4->host == "127.0.0.1");
    CHECK(v4->port == "514");
    auto v6 = parse_host_port("[::1]:6514");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(parse_host_port("logs.example.org:601")->host == "logs.example.org");
    CHECK_FALSE(parse_host_port("::1:514"));
    CHECK_FALSE(parse_host_port("host"));
    CHECK_FALSE(parse_host_port("host:"));
    CHECK_FALSE(parse_host_port("host:0"));
    CHECK_FALSE(parse_host_port("host:70000"));
    CHECK_FALSE(parse_host_port(":514"));
}
