// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "core/audit/audit_parser.hpp"
#include "core/audit/timestamp.hpp"

using namespace vigil::audit;

namespace {

const std::string exec_event = R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata",
"auditID":"4f3c8d2e-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/pods/web-1/exec?command=sh",
"verb":"create","user":{"username":"system:serviceaccount:shop:deployer","uid":"u-1","groups":["system:serviceaccounts","system:authenticated"],
"extra":{"authentication.kubernetes.io/pod-name":["ci-runner-7"],"authentication.kubernetes.io/pod-uid":["5d1c-uid"]}},
"impersonatedUser":{"username":"admin"},"sourceIPs":["10.0.0.7","fd00::7"],"userAgent":"kubectl/v1.29.0",
"objectRef":{"resource":"pods","namespace":"shop","name":"web-1","apiVersion":"v1","subresource":"exec"},
"responseStatus":{"metadata":{},"code":101},"requestReceivedTimestamp":"2024-05-01T12:00:00.123456Z",
"stageTimestamp":"2024-05-01T12:00:01.5Z","annotations":{"authorization.k8s.io/decision":"allow"}})";

std::string without(std::string text, const std::string &piece)
{
    auto at = text.find(piece);
    REQUIRE(at != std::string::npos);
    return text.erase(at, piece.size());
}

std::string replaced(std::string text, const std::string &from, const std::string &to)
{
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

} // namespace

TEST_SUITE("audit")
{
    TEST_CASE("audit parser: a service account's exec into a pod, every field")
    {
        auto event = parse_event(exec_event, VIGIL_AUDIT_SOURCE_LOG_FILE);
        REQUIRE_MESSAGE(event.has_value(), reason_name(event.error().reason));
        CHECK(event->audit_id == "4f3c8d2e-1");
        CHECK(event->stage == VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE);
        CHECK(event->source == VIGIL_AUDIT_SOURCE_LOG_FILE);
        CHECK(event->verb == "create");
        CHECK(event->level == "Metadata");
        CHECK(event->username == "system:serviceaccount:shop:deployer");
        CHECK(event->service_account_namespace == "shop");
        CHECK(event->service_account_name == "deployer");
        CHECK(event->pod_name == "ci-runner-7");
        CHECK(event->pod_uid == "5d1c-uid");
        CHECK(event->user_groups == std::vector<std::string>{"system:serviceaccounts", "system:authenticated"});
        CHECK(event->impersonated_username == "admin");
        CHECK(event->source_ips == std::vector<std::string>{"10.0.0.7", "fd00::7"});
        CHECK(event->user_agent == "kubectl/v1.29.0");
        CHECK(event->resource == "pods");
        CHECK(event->subresource == "exec");
        CHECK(event->object_namespace == "shop");
        CHECK(event->object_name == "web-1");
        CHECK(event->api_group.empty());
        CHECK(event->api_version == "v1");
        CHECK(event->response_code == 101);
        CHECK(event->request_received_unix_ns == 1714564800'123456000ULL);
        CHECK(event->stage_unix_ns == 1714564801'500000000ULL);
        CHECK(event->raw_json == exec_event);
    }

    TEST_CASE("audit parser: a user that is not a service account has none, nor a pod")
    {
        auto text = replaced(exec_event, "system:serviceaccount:shop:deployer", "alice@example.com");
        text = replaced(
            text,
            R"("authentication.kubernetes.io/pod-name":["ci-runner-7"],"authentication.kubernetes.io/pod-uid":["5d1c-uid"])",
            "");
        auto event = parse_event(text, VIGIL_AUDIT_SOURCE_WEBHOOK);
        REQUIRE(event.has_value());
        CHECK(event->username == "alice@example.com");
        CHECK(event->service_account_namespace.empty());
        CHECK(event->service_account_name.empty());
        CHECK(event->pod_name.empty());
        CHECK(event->pod_uid.empty());
        // A look-alike with too many parts is not split either.
        auto odd =
            parse_event(replaced(exec_event, "system:serviceaccount:shop:deployer", "system:serviceaccount:a:b:c"),
                        VIGIL_AUDIT_SOURCE_WEBHOOK);
        REQUIRE(odd.has_value());
        CHECK(odd->service_account_name.empty());
    }

    TEST_CASE("audit parser: RequestReceived without a response or stage time")
    {
        auto text = replaced(exec_event, R"("responseStatus":{"metadata":{},"code":101},)", "");
        text = replaced(text, "ResponseComplete", "RequestReceived");
        auto event = parse_event(text, VIGIL_AUDIT_SOURCE_WEBHOOK);
        REQUIRE(event.has_value());
        CHECK(event->stage == VIGIL_AUDIT_STAGE_REQUEST_RECEIVED);
        CHECK(event->response_code == 0);
    }

    TEST_CASE("audit parser: each malformed case has its reason")
    {
        struct Case {
            std::string text;
            ParseFailureReason reason;
            std::string detail;
        };
        const Case cases[] = {
            {"", ParseFailureReason::not_json, ""},
            {"{\"kind\":\"Event\"", ParseFailureReason::not_json, ""},
            {"\x01\x02garbage", ParseFailureReason::not_json, ""},
            {"[1,2]", ParseFailureReason::not_an_object, ""},
            {std::string(5000, '[') + std::string(5000, ']'), ParseFailureReason::too_deep, ""},
            {replaced(exec_event, R"("kind":"Event")", R"("kind":"Pod")"), ParseFailureReason::wrong_kind, ""},
            {replaced(exec_event, "audit.k8s.io/v1", "audit.k8s.io/v1beta1"), ParseFailureReason::wrong_api_version,
             ""},
            {without(exec_event, R"("auditID":"4f3c8d2e-1",)"), ParseFailureReason::missing_field, "auditID"},
            {without(exec_event, R"("verb":"create",)"), ParseFailureReason::missing_field, "verb"},
            {replaced(exec_event, R"("stage":"ResponseComplete")", R"("stage":"Finished")"),
             ParseFailureReason::bad_field, "stage"},
            {replaced(exec_event, R"("auditID":"4f3c8d2e-1")", R"("auditID":42)"), ParseFailureReason::bad_field,
             "auditID"},
            {replaced(exec_event, "2024-05-01T12:00:01.5Z", "yesterday"), ParseFailureReason::bad_field,
             "stageTimestamp"},
        };
        ParseFailureCounts counts;
        for (const auto &item : cases) {
            CAPTURE(item.text.substr(0, 80));
            auto event = parse_event(item.text, VIGIL_AUDIT_SOURCE_LOG_FILE);
            REQUIRE_FALSE(event.has_value());
            CHECK(reason_name(event.error().reason) == reason_name(item.reason));
            if (!item.detail.empty()) {
                CHECK(event.error().detail == item.detail);
            }
            counts.add(event.error().reason);
        }
        CHECK(counts.count(ParseFailureReason::not_json) == 3);
        CHECK(counts.count(ParseFailureReason::bad_field) == 3);
        CHECK(counts.total() == std::size(cases));
        CHECK(counts.describe().starts_with("not_json 3, too_deep 1, not_an_object 1"));
    }

    TEST_CASE("audit parser: an EventList's items, a bad item skipped and reported")
    {
        auto list = R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[)" + exec_event + "," +
                    replaced(exec_event, "4f3c8d2e-1", "4f3c8d2e-2") + R"(,{"kind":"Event"}]})";
        auto batch = parse_event_list(list, VIGIL_AUDIT_SOURCE_WEBHOOK);
        REQUIRE(batch.has_value());
        REQUIRE(batch->events.size() == 2);
        CHECK(batch->events[0].audit_id == "4f3c8d2e-1");
        CHECK(batch->events[1].audit_id == "4f3c8d2e-2");
        CHECK(batch->events[1].raw_json.find("\"auditID\":\"4f3c8d2e-2\"") != std::string::npos);
        REQUIRE(batch->item_failures.size() == 1);
        CHECK(batch->item_failures[0].reason == ParseFailureReason::wrong_api_version);

        CHECK(parse_event_list(exec_event, VIGIL_AUDIT_SOURCE_WEBHOOK).error().reason ==
              ParseFailureReason::wrong_kind);
        CHECK(parse_event_list(R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1"})", VIGIL_AUDIT_SOURCE_WEBHOOK)
                  .error()
                  .reason == ParseFailureReason::missing_field);
        CHECK(parse_event_list("not json", VIGIL_AUDIT_SOURCE_WEBHOOK).error().reason == ParseFailureReason::not_json);
        auto empty = parse_event_list(R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]})",
                                      VIGIL_AUDIT_SOURCE_WEBHOOK);
        REQUIRE(empty.has_value());
        CHECK(empty->events.empty());
    }

    TEST_CASE("audit timestamps: RFC 3339 with any precision and offset")
    {
        CHECK(parse_rfc3339_unix_ns("1970-01-01T00:00:00Z") == 0u);
        CHECK(parse_rfc3339_unix_ns("2024-05-01T12:00:00.000000001Z") == 1714564800'000000001ULL);
        CHECK(parse_rfc3339_unix_ns("2024-05-01T14:00:00+02:00") == 1714564800'000000000ULL);
        CHECK_FALSE(parse_rfc3339_unix_ns("2024-05-01 12:00"));
        CHECK_FALSE(parse_rfc3339_unix_ns("2024-13-01T12:00:00Z"));
        CHECK_FALSE(parse_rfc3339_unix_ns("2024-05-01T12:00:00Zjunk"));
    }
}
