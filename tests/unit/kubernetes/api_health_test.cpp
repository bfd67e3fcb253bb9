// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include "core/kubernetes/api_health.hpp"

using namespace vigil::kubernetes;
using namespace std::chrono_literals;

namespace {

const std::string server = "https://10.0.0.1:6443";

// The default logger's lines while it lives, at info and above.
class CapturedLog {
public:
    CapturedLog() : previous_(spdlog::default_logger()), sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64))
    {
        sink_->set_pattern("%l %v");
        auto logger = std::make_shared<spdlog::logger>("captured", sink_);
        logger->set_level(spdlog::level::info);
        spdlog::set_default_logger(logger);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog &) = delete;
    CapturedLog &operator=(const CapturedLog &) = delete;

    std::vector<std::string> lines() const { return sink_->last_formatted(); }
    std::vector<std::string> lines_with(const std::string &text) const
    {
        std::vector<std::string> found;
        for (auto &line : lines()) {
            if (line.find(text) != std::string::npos) {
                found.push_back(line);
            }
        }
        return found;
    }

private:
    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

std::expected<ApiResponse, std::string> answer(long status, std::string body = {})
{
    return ApiResponse{status, std::move(body)};
}

const std::string forbidden_body =
    R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User )"
    R"(\"system:serviceaccount:vigil:vigil\" cannot list resource \"pods\" in API group \"\" at the cluster )"
    R"(scope","reason":"Forbidden","details":{"kind":"pods"},"code":403})";

} // namespace

TEST_SUITE("kubernetes")
{
    TEST_CASE("kubernetes API status: each kind of answer, in one short phrase")
    {
        CHECK(api_status_of(server, answer(200)).text() == "ok");
        auto unauthorized = api_status_of(server, answer(401, R"({"kind":"Status","message":"Unauthorized"})"));
        CHECK(unauthorized.state == ApiStatus::State::refused);
        CHECK(unauthorized.text() == "unauthorized 401 from https://10.0.0.1:6443");
        CHECK(unauthorized.detail == "Unauthorized");
        auto forbidden = api_status_of(server, answer(403, forbidden_body));
        CHECK(forbidden.text() == "forbidden 403 from https://10.0.0.1:6443");
        CHECK(forbidden.detail.starts_with("pods is forbidden: User \"system:serviceaccount:vigil:vigil\""));
        auto unreachable = api_status_of(server, std::unexpected(std::string("Couldn't connect to server")));
        CHECK(unreachable.text() == "unreachable https://10.0.0.1:6443: Couldn't connect to server");
        auto failing = api_status_of(server, answer(503, "not json"));
        CHECK(failing.state == ApiStatus::State::failing);
        CHECK(failing.text() == "HTTP 503 from https://10.0.0.1:6443");
        CHECK(failing.detail.empty());
        CHECK(ApiHealth(server, "in-cluster").status().text() == "connecting to https://10.0.0.1:6443");
    }

    TEST_CASE("kubernetes API status: a refusal is one warning naming server and status, not one per request")
    {
        CapturedLog log;
        ApiHealth health(server, "in-cluster", 5min);
        auto start = std::chrono::steady_clock::time_point{} + 1h;
        for (int request = 0; request < 8; ++request) {
            health.record(answer(401), "list the pods of node n1", start + request * 2s);
        }
        auto warnings = log.lines_with("refused the sensor's credentials");
        REQUIRE(warnings.size() == 1);
        CHECK(warnings[0].starts_with("warning "));
        CHECK(warnings[0].find(server) != std::string::npos);
        CHECK(warnings[0].find("HTTP 401 Unauthorized to list the pods of node n1") != std::string::npos);
        CHECK(warnings[0].find("in-cluster") != std::string::npos);
        CHECK(health.status().text() == "unauthorized 401 from https://10.0.0.1:6443");
        CHECK(health.refusals() == 8);

        // An outage in between is not a new refusal: still quiet.
        health.record(std::unexpected(std::string("Couldn't connect to server")), "list", start + 20s);
        CHECK(health.status().state == ApiStatus::State::unreachable);
        health.record(answer(401), "list", start + 30s);
        CHECK(log.lines_with("refused the sensor's credentials").size() == 1);

        // After the reminder interval, one line with the count.
        health.record(answer(401), "list", start + 6min);
        auto reminders = log.lines_with("still refuses the sensor's credentials");
        REQUIRE(reminders.size() == 1);
        CHECK(reminders[0].find("HTTP 401 Unauthorized (10 refused requests, 9 since the last line)") !=
              std::string::npos);

        // Another status is a new refusal, logged at once, with what the account lacks.
        health.record(answer(403, forbidden_body), "list", start + 6min + 1s);
        warnings = log.lines_with("refused the sensor's credentials");
        REQUIRE(warnings.size() == 2);
        CHECK(warnings[1].find("HTTP 403 Forbidden to list: pods is forbidden") != std::string::npos);
        CHECK(warnings[1].find("needs get, list and watch on pods") != std::string::npos);

        // Accepted again: said once, at info; a later refusal is news again.
        health.record(answer(200), "list", start + 7min);
        CHECK(health.status().text() == "ok");
        CHECK(health.refusals() == 0);
        auto again = log.lines_with("accepts the sensor's credentials again");
        REQUIRE(again.size() == 1);
        CHECK(again[0].starts_with("info "));
        CHECK(again[0].find("after 11 refused requests") != std::string::npos);
        health.record(answer(401), "list", start + 7min + 1s);
        CHECK(log.lines_with("refused the sensor's credentials").size() == 3);
    }
}
