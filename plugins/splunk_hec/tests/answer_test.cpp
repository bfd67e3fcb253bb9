// SPDX-License-Identifier: Apache-2.0
// Reading the collector's answers, and the acknowledgement channel.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "channel.hpp"
#include "collector_answer.hpp"

using namespace vigil_splunk_hec;

TEST_CASE("the collector's answer: code, text, ackId, the failing event")
{
    auto answer = parse_answer(R"({"text":"Success","code":0,"ackId":7})");
    CHECK(answer.code == 0);
    CHECK(answer.text == "Success");
    CHECK(answer.ack_id == 7);
    CHECK_FALSE(answer.invalid_event_number.has_value());
    answer = parse_answer(R"({"text":"Invalid data format","code":6,"invalid-event-number":2})");
    CHECK(answer.code == 6);
    CHECK(answer.invalid_event_number == 2);
}

TEST_CASE("a rejection's reason names the status, the code and the text")
{
    CHECK(describe_answer(400, R"({"text":"Incorrect index","code":7})") == "HTTP 400, code 7: Incorrect index");
    CHECK(describe_answer(403, R"({"text":"Invalid token","code":4})") == "HTTP 403, code 4: Invalid token");
    CHECK(describe_answer(400, R"({"text":"Invalid data format","code":6,"invalid-event-number":3})") ==
          "HTTP 400, code 6: Invalid data format (event 3 of the batch)");
    // Something between the sensor and the collector answered instead.
    CHECK(describe_answer(502, "<html>\nBad Gateway</html>") == "HTTP 502: <html> Bad Gateway</html>");
    CHECK(describe_answer(502, "") == "HTTP 502");
}

TEST_CASE("the ack answer: true, false, or not mentioned")
{
    CHECK(ack_status(R"({"acks":{"0":true,"1":false}})", 0) == true);
    CHECK(ack_status(R"({"acks":{"0":true,"1":false}})", 1) == false);
    CHECK_FALSE(ack_status(R"({"acks":{"0":true}})", 2).has_value());
    CHECK_FALSE(ack_status(R"({"text":"ACK is disabled","code":14})", 0).has_value());
}

TEST_CASE("each output instance gets its own random version 4 UUID as its channel")
{
    auto first = random_channel_uuid();
    auto second = random_channel_uuid();
    const std::regex uuid4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    CHECK(std::regex_match(first, uuid4));
    CHECK(std::regex_match(second, uuid4));
    CHECK(first != second);
}
