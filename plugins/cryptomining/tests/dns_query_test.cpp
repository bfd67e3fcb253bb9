// SPDX-License-Identifier: Apache-2.0
// The question name of a captured DNS query (dns_query.cpp), from well-formed and hostile bytes.
#include "test_support.hpp"

#include "dns_query.hpp"

using cryptomining_test::dns_query;
using namespace vigil_cryptomining;

TEST_CASE("the question of a UDP query")
{
    auto question = parse_dns_query(dns_query("pool.supportxmr.com", 28));
    REQUIRE(question);
    CHECK(question->name == "pool.supportxmr.com");
    CHECK(question->type == 28);
    CHECK(dns_type_name(question->type) == "AAAA");
    CHECK_FALSE(question->over_tcp);
    CHECK_FALSE(question->truncated);
}

TEST_CASE("the question of a TCP query, after its two-byte length")
{
    auto bytes = dns_query("xmr.nanopool.org");
    auto length = bytes.size();
    bytes.insert(bytes.begin(), {static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
    auto question = parse_dns_query(bytes);
    REQUIRE(question);
    CHECK(question->name == "xmr.nanopool.org");
    CHECK(question->over_tcp);
}

TEST_CASE("a capture that ends inside the name gives its beginning, flagged")
{
    auto bytes = dns_query("averyveryverylonglabel.example.org");
    bytes.resize(12 + 1 + 10);
    auto question = parse_dns_query(bytes);
    REQUIRE(question);
    CHECK(question->name == "averyveryv");
    CHECK(question->truncated);
    CHECK(question->type == 0);
}

TEST_CASE("what is no standard query is refused")
{
    auto response = dns_query("pool.example");
    response[2] |= 0x80; // QR: a response
    CHECK_FALSE(parse_dns_query(response));
    auto two_questions = dns_query("pool.example");
    two_questions[5] = 2;
    CHECK_FALSE(parse_dns_query(two_questions));
    auto compressed = dns_query("pool.example");
    compressed[12] = 0xC0;
    CHECK_FALSE(parse_dns_query(compressed));
    CHECK_FALSE(parse_dns_query(std::vector<uint8_t>{}));
    CHECK_FALSE(parse_dns_query(std::vector<uint8_t>(11, 0)));
    CHECK_FALSE(parse_dns_query(dns_query(""))); // the root
    std::vector<uint8_t> text{'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};
    CHECK_FALSE(parse_dns_query(text));
}

TEST_CASE("a dot inside a label cannot forge another name")
{
    std::vector<uint8_t> bytes{0,   1,   1,   0,   0,   1,   0,   0,   0, 0, 0, 0, 8,
                               'p', 'o', 'o', 'l', '.', 'c', 'o', 'm', 0, 0, 1, 0, 1};
    auto question = parse_dns_query(bytes);
    REQUIRE(question);
    CHECK(question->name == "pool_com");
}

TEST_CASE("every prefix of a query parses or is refused without reading past it")
{
    auto bytes = dns_query("a.b.pool.example.org");
    for (std::size_t size = 0; size <= bytes.size(); ++size) {
        std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<long>(size));
        (void)parse_dns_query(prefix);
    }
    CHECK(parse_dns_query(bytes)->name == "a.b.pool.example.org");
}
