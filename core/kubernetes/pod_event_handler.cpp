// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/pod_event_handler.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/kubernetes/pod_parser.hpp"

namespace vigil::kubernetes {
namespace {

std::string resource_version_of(const nlohmann::json &object)
{
    if (!object.is_object()) {
        return {};
    }
    auto metadata = object.find("metadata");
    if (metadata == object.end() || !metadata->is_object()) {
        return {};
    }
    auto version = metadata->find("resourceVersion");
    return version != metadata->end() && version->is_string() ? version->get<std::string>() : std::string();
}

} // namespace

PodEventHandler::PodEventHandler(PodCache &cache, OwnerResolver &owners, std::vector<std::string> label_keys,
                                 Clock clock)
    : cache_(cache), owners_(owners), label_keys_(std::move(label_keys)), clock_(std::move(clock))
{
}

void PodEventHandler::skip(const std::string &reason)
{
    ++malformed_;
    if (auto suppressed = malformed_log_.allow()) {
        spdlog::warn("kubernetes: skipped a pod or watch event: {} ({} skipped in all{})", reason, malformed_,
                     *suppressed != 0 ? ", " + std::to_string(*suppressed) + " not logged" : std::string());
    }
}

std::expected<std::size_t, std::string> PodEventHandler::apply_list(std::string_view body)
{
    auto list = nlohmann::json::parse(body, nullptr, false);
    if (!list.is_object() || list.value("kind", "") != "PodList") {
        return std::unexpected("the answer is not a PodList");
    }
    auto items = list.find("items");
    std::vector<PodMetadata> pods;
    if (items != list.end() && items->is_array()) {
        for (const auto &item : *items) {
            auto pod = parse_pod(item, label_keys_);
            if (!pod) {
                skip(pod.error());
                continue;
            }
            owners_.resolve(*pod);
            pods.push_back(std::move(*pod));
        }
    }
    auto count = pods.size();
    cache_.replace_all(std::move(pods), clock_());
    resource_version_ = resource_version_of(list);
    return count;
}

WatchOutcome PodEventHandler::apply_event(std::string_view line, std::string &detail)
{
    auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string() || !event.contains("object")) {
        detail = "a watch line that is not an event";
        skip(detail);
        return WatchOutcome::skipped;
    }
    auto type = event["type"].get<std::string>();
    const auto &object = event["object"];
    if (type == "ERROR") {
        auto code = object.is_object() ? object.value("code", 0) : 0;
        detail =
            (object.is_object() ? object.value("message", "") : std::string()) + " (code " + std::to_string(code) + ")";
        // 410 Gone: the resourceVersion is older than what the server keeps.
        return code == 410 ? WatchOutcome::relist : WatchOutcome::error;
    }
    if (type == "BOOKMARK") {
        if (auto version = resource_version_of(object); !version.empty()) {
            resource_version_ = std::move(version);
        }
        return WatchOutcome::applied;
    }
    if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") {
        detail = "an event of unknown type " + type;
        skip(detail);
        return WatchOutcome::skipped;
    }
    auto pod = parse_pod(object, label_keys_);
    if (!pod) {
        detail = pod.error();
        skip(type + ": " + detail);
        // Still past it: resuming from before it would only bring it back.
        if (auto version = resource_version_of(object); !version.empty()) {
            resource_version_ = std::move(version);
        }
        return WatchOutcome::skipped;
    }
    if (auto version = resource_version_of(object); !version.empty()) {
        resource_version_ = std::move(version);
    }
    if (type == "DELETED") {
        cache_.remove(pod->uid, clock_());
        owners_.forget(pod->uid);
    } else {
        owners_.resolve(*pod);
        cache_.upsert(std::move(*pod), clock_());
    }
    return WatchOutcome::applied;
}

} // namespace vigil::kubernetes
