// SPDX-License-Identifier: Apache-2.0
// "both" mode: the parts of one request, answered one by one, never sent twice across retries.
#include <doctest/doctest.h>

#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "part_delivery.hpp"
#include "request_parts.hpp"

using namespace vigil_datadog;

namespace {

// A receiver that answers from a script and records what it was sent.
struct ScriptedReceiver {
    std::deque<vigil_send_status> answers;
    std::vector<std::string> sent;
    uint64_t retry_after_ms = 0;

    PartDelivery::Post post()
    {
        return [this](const Part &part, vigil_send_result &result) {
            sent.emplace_back(part.body);
            auto status = answers.empty() ? VIGIL_SEND_OK : answers.front();
            if (!answers.empty()) {
                answers.pop_front();
            }
            result.status = status;
            result.retry_after_ms = status == VIGIL_SEND_RETRY ? retry_after_ms : 0;
            std::strcpy(result.reason, status == VIGIL_SEND_REJECT ? "HTTP 400: bad" : "HTTP 429: slow down");
        };
    }
};

std::string three_parts()
{
    std::string request;
    append_part(request, PartKind::logs, "[a,b]");
    append_part(request, PartKind::event, "{a}");
    append_part(request, PartKind::event, "{b}");
    return request;
}

} // namespace

TEST_CASE("every part delivered: OK, each sent once")
{
    ScriptedReceiver receiver;
    PartDelivery delivery;
    auto result = delivery.send(three_parts(), receiver.post());
    CHECK(result.status == VIGIL_SEND_OK);
    CHECK(receiver.sent == std::vector<std::string>{"[a,b]", "{a}", "{b}"});
    CHECK(delivery.warning().empty());
}

TEST_CASE("a retry resumes at the part that failed; the parts already delivered are not sent again")
{
    ScriptedReceiver receiver;
    receiver.answers = {VIGIL_SEND_OK, VIGIL_SEND_RETRY};
    receiver.retry_after_ms = 3000;
    PartDelivery delivery;
    const auto request = three_parts();
    auto first = delivery.send(request, receiver.post());
    CHECK(first.status == VIGIL_SEND_RETRY);
    CHECK(first.retry_after_ms == 3000);
    CHECK(std::string(first.reason) == "Events API: HTTP 429: slow down");
    auto second = delivery.send(request, receiver.post());
    CHECK(second.status == VIGIL_SEND_OK);
    CHECK(receiver.sent == std::vector<std::string>{"[a,b]", "{a}", "{a}", "{b}"});
    // Finished: the same bytes again (a new batch that happens to be equal) are sent whole.
    receiver.sent.clear();
    CHECK(delivery.send(request, receiver.post()).status == VIGIL_SEND_OK);
    CHECK(receiver.sent.size() == 3);
}

TEST_CASE("another request after a retry starts from its first part")
{
    ScriptedReceiver receiver;
    receiver.answers = {VIGIL_SEND_OK, VIGIL_SEND_RETRY};
    PartDelivery delivery;
    CHECK(delivery.send(three_parts(), receiver.post()).status == VIGIL_SEND_RETRY);
    receiver.sent.clear();
    std::string other;
    append_part(other, PartKind::logs, "[c]");
    append_part(other, PartKind::event, "{c}");
    CHECK(delivery.send(other, receiver.post()).status == VIGIL_SEND_OK);
    CHECK(receiver.sent == std::vector<std::string>{"[c]", "{c}"});
}

TEST_CASE("some parts rejected, others delivered: OK with a warning; all rejected: REJECT")
{
    ScriptedReceiver receiver;
    receiver.answers = {VIGIL_SEND_OK, VIGIL_SEND_REJECT, VIGIL_SEND_OK};
    PartDelivery delivery;
    CHECK(delivery.send(three_parts(), receiver.post()).status == VIGIL_SEND_OK);
    CHECK(delivery.warning() ==
          "1 of 3 parts of a request were rejected (the alerts reached Datadog through the other API): "
          "Events API: HTTP 400: bad");

    receiver.answers = {VIGIL_SEND_REJECT, VIGIL_SEND_RETRY, VIGIL_SEND_REJECT, VIGIL_SEND_REJECT};
    const auto request = three_parts();
    CHECK(delivery.send(request, receiver.post()).status == VIGIL_SEND_RETRY);
    auto result = delivery.send(request, receiver.post());
    CHECK(result.status == VIGIL_SEND_REJECT);
    CHECK(std::string(result.reason) == "Logs API: HTTP 400: bad");
    CHECK(delivery.warning().empty());
}

TEST_CASE("a request in no known framing is rejected, not retried")
{
    ScriptedReceiver receiver;
    PartDelivery delivery;
    CHECK(delivery.send("garbage", receiver.post()).status == VIGIL_SEND_REJECT);
    CHECK(receiver.sent.empty());
}
