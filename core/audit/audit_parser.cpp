// SPDX-License-Identifier: Apache-2.0
#include "core/audit/audit_parser.hpp"

#include <nlohmann/json.hpp>

#include "core/audit/timestamp.hpp"

namespace vigil::audit {
namespace {

using nlohmann::json;

constexpr std::string_view api_version = "audit.k8s.io/v1";
constexpr std::string_view service_account_prefix = "system:serviceaccount:";

ParseFailure failure(ParseFailureReason reason, std::string detail = {})
{
    return ParseFailure{reason, std::move(detail)};
}

// Brackets outside strings, counted without parsing: a linear scan that
// refuses documents nested deeper than @limit before the parser sees them.
bool nested_deeper_than(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t index = 0; index < text.size(); ++index) {
        char c = text[index];
        if (in_string) {
            if (c == '\\') {
                ++index;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) {
                return true;
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::expected<json, ParseFailure> parse_json(std::string_view text)
{
    if (nested_deeper_than(text, max_json_depth)) {
        return std::unexpected(failure(ParseFailureReason::too_deep));
    }
    auto document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
        return std::unexpected(failure(ParseFailureReason::not_json));
    }
    if (!document.is_object()) {
        return std::unexpected(failure(ParseFailureReason::not_an_object));
    }
    return document;
}

// An optional string member; "" when absent or not a string.
std::string string_at(const json &object, const char *key)
{
    auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::vector<std::string> strings_at(const json &object, const char *key)
{
    std::vector<std::string> values;
    auto found = object.find(key);
    if (found != object.end() && found->is_array()) {
        for (const auto &item : *found) {
            if (item.is_string()) {
                values.push_back(item.get<std::string>());
            }
        }
    }
    return values;
}

std::optional<ParseFailure> check_type_and_version(const json &object, std::string_view kind)
{
    auto found_kind = object.find("kind");
    if (found_kind == object.end() || !found_kind->is_string() || found_kind->get<std::string_view>() != kind) {
        return failure(ParseFailureReason::wrong_kind, "kind is not " + std::string(kind));
    }
    auto version = object.find("apiVersion");
    if (version == object.end() || !version->is_string() || version->get<std::string_view>() != api_version) {
        return failure(ParseFailureReason::wrong_api_version, "apiVersion is not " + std::string(api_version));
    }
    return std::nullopt;
}

std::expected<std::string, ParseFailure> required_string(const json &object, const char *key)
{
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return std::unexpected(failure(ParseFailureReason::missing_field, key));
    }
    if (!found->is_string() || found->get_ref<const std::string &>().empty()) {
        return std::unexpected(failure(ParseFailureReason::bad_field, key));
    }
    return found->get<std::string>();
}

std::optional<vigil_audit_stage> stage_of(std::string_view name)
{
    if (name == "RequestReceived") {
        return VIGIL_AUDIT_STAGE_REQUEST_RECEIVED;
    }
    if (name == "ResponseStarted") {
        return VIGIL_AUDIT_STAGE_RESPONSE_STARTED;
    }
    if (name == "ResponseComplete") {
        return VIGIL_AUDIT_STAGE_RESPONSE_COMPLETE;
    }
    if (name == "Panic") {
        return VIGIL_AUDIT_STAGE_PANIC;
    }
    return std::nullopt;
}

// An optional timestamp: absent is 0, present but unreadable is a bad field.
std::expected<uint64_t, ParseFailure> timestamp_at(const json &object, const char *key)
{
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return uint64_t{0};
    }
    if (!found->is_string()) {
        return std::unexpected(failure(ParseFailureReason::bad_field, key));
    }
    auto value = parse_rfc3339_unix_ns(found->get_ref<const std::string &>());
    if (!value) {
        return std::unexpected(failure(ParseFailureReason::bad_field, key));
    }
    return *value;
}

// user.extra values are lists of strings; the first is the one the API server sets.
std::string first_extra(const json &user, const char *key)
{
    auto extra = user.find("extra");
    if (extra == user.end() || !extra->is_object()) {
        return {};
    }
    auto values = strings_at(*extra, key);
    return values.empty() ? std::string() : values.front();
}

void split_service_account(AuditEvent &event)
{
    std::string_view name = event.username;
    if (!name.starts_with(service_account_prefix)) {
        return;
    }
    name.remove_prefix(service_account_prefix.size());
    auto colon = name.find(':');
    // Namespace and name are DNS labels: neither holds a colon, neither is empty.
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == name.size() ||
        name.find(':', colon + 1) != std::string_view::npos) {
        return;
    }
    event.service_account_namespace = name.substr(0, colon);
    event.service_account_name = name.substr(colon + 1);
}

std::expected<AuditEvent, ParseFailure> event_from_object(const json &object, vigil_audit_source source)
{
    if (!object.is_object()) {
        return std::unexpected(failure(ParseFailureReason::not_an_object));
    }
    if (auto problem = check_type_and_version(object, "Event")) {
        return std::unexpected(*problem);
    }
    AuditEvent event;
    event.source = source;
    auto audit_id = required_string(object, "auditID");
    auto stage = required_string(object, "stage");
    auto verb = required_string(object, "verb");
    auto uri = required_string(object, "requestURI");
    for (const auto *field : {&audit_id, &stage, &verb, &uri}) {
        if (!*field) {
            return std::unexpected(field->error());
        }
    }
    auto stage_value = stage_of(*stage);
    if (!stage_value) {
        return std::unexpected(failure(ParseFailureReason::bad_field, "stage"));
    }
    auto user = object.find("user");
    if (user == object.end() || user->is_null()) {
        return std::unexpected(failure(ParseFailureReason::missing_field, "user"));
    }
    if (!user->is_object()) {
        return std::unexpected(failure(ParseFailureReason::bad_field, "user"));
    }
    auto received = timestamp_at(object, "requestReceivedTimestamp");
    if (!received) {
        return std::unexpected(received.error());
    }
    auto stage_time = timestamp_at(object, "stageTimestamp");
    if (!stage_time) {
        return std::unexpected(stage_time.error());
    }

    event.audit_id = std::move(*audit_id);
    event.stage = *stage_value;
    event.verb = std::move(*verb);
    event.request_uri = std::move(*uri);
    event.level = string_at(object, "level");
    event.user_agent = string_at(object, "userAgent");
    event.username = string_at(*user, "username");
    event.user_uid = string_at(*user, "uid");
    event.user_groups = strings_at(*user, "groups");
    split_service_account(event);
    event.pod_name = first_extra(*user, "authentication.kubernetes.io/pod-name");
    event.pod_uid = first_extra(*user, "authentication.kubernetes.io/pod-uid");
    if (auto impersonated = object.find("impersonatedUser");
        impersonated != object.end() && impersonated->is_object()) {
        event.impersonated_username = string_at(*impersonated, "username");
    }
    event.source_ips = strings_at(object, "sourceIPs");
    if (auto ref = object.find("objectRef"); ref != object.end() && ref->is_object()) {
        event.resource = string_at(*ref, "resource");
        event.subresource = string_at(*ref, "subresource");
        event.object_namespace = string_at(*ref, "namespace");
        event.object_name = string_at(*ref, "name");
        event.object_uid = string_at(*ref, "uid");
        event.api_group = string_at(*ref, "apiGroup");
        event.api_version = string_at(*ref, "apiVersion");
    }
    if (auto status = object.find("responseStatus"); status != object.end() && status->is_object()) {
        auto code = status->find("code");
        if (code != status->end() && code->is_number_integer()) {
            auto value = code->get<int64_t>();
            event.response_code = value >= 0 && value <= 999 ? static_cast<int32_t>(value) : 0;
        }
    }
    event.request_received_unix_ns = *received;
    event.stage_unix_ns = *stage_time;
    return event;
}

} // namespace

std::expected<AuditEvent, ParseFailure> parse_event(std::string_view text, vigil_audit_source source)
{
    auto document = parse_json(text);
    if (!document) {
        return std::unexpected(document.error());
    }
    auto event = event_from_object(*document, source);
    if (event) {
        event->raw_json.assign(text);
    }
    return event;
}

std::expected<ParsedBatch, ParseFailure> parse_event_list(std::string_view text, vigil_audit_source source)
{
    auto document = parse_json(text);
    if (!document) {
        return std::unexpected(document.error());
    }
    if (auto problem = check_type_and_version(*document, "EventList")) {
        return std::unexpected(*problem);
    }
    auto items = document->find("items");
    if (items == document->end() || items->is_null()) {
        return std::unexpected(failure(ParseFailureReason::missing_field, "items"));
    }
    if (!items->is_array()) {
        return std::unexpected(failure(ParseFailureReason::bad_field, "items"));
    }
    ParsedBatch batch;
    batch.events.reserve(items->size());
    for (const auto &item : *items) {
        auto event = event_from_object(item, source);
        if (!event) {
            batch.item_failures.push_back(std::move(event.error()));
            continue;
        }
        // The item as one line of JSON: what the log backend would have written.
        event->raw_json = item.dump(-1, ' ', false, json::error_handler_t::replace);
        batch.events.push_back(std::move(*event));
    }
    return batch;
}

} // namespace vigil::audit
