// SPDX-License-Identifier: Apache-2.0
#include "core/kubernetes/pod_watcher.hpp"

#include <cctype>

#include <spdlog/spdlog.h>

#include "core/util/backoff.hpp"
#include "core/util/boot_clock.hpp"

namespace vigil::kubernetes {
namespace {

constexpr std::chrono::seconds request_timeout{30};
// An owner lookup holds up the watch stream it was made from: shorter.
constexpr std::chrono::seconds owner_timeout{10};
// Owner lookups (ReplicaSets, Jobs) remembered; a node rarely runs more.
constexpr std::size_t max_owners = 4096;
// The server closes a watch after this, and the watcher resumes at once: a
// regular renewal keeps a load balancer from cutting an idle stream instead.
constexpr int watch_timeout_s = 300;

std::string url_encoded(std::string_view text)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char character : text) {
        if (std::isalnum(character) || character == '-' || character == '.' || character == '_' || character == '~') {
            out.push_back(static_cast<char>(character));
        } else {
            out.push_back('%');
            out.push_back(hex[character >> 4]);
            out.push_back(hex[character & 0xF]);
        }
    }
    return out;
}

std::string snippet(const std::string &body)
{
    constexpr std::size_t longest = 200;
    return body.size() <= longest ? body : body.substr(0, longest) + "...";
}

} // namespace

std::string pod_list_path(const std::string &node_name)
{
    return "/api/v1/pods?fieldSelector=" + url_encoded("spec.nodeName=" + node_name);
}

std::string pod_watch_path(const std::string &node_name, const std::string &resource_version)
{
    return pod_list_path(node_name) + "&watch=1&resourceVersion=" + url_encoded(resource_version) +
           "&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(watch_timeout_s);
}

ApiStatus probe_pod_access(const ApiSettings &settings, const std::string &node_name, std::chrono::seconds timeout)
{
    ApiClient client(settings);
    return api_status_of(settings.server, client.get(pod_list_path(node_name) + "&limit=1", timeout));
}

PodWatcher::PodWatcher(ApiSettings settings, std::string node_name, std::vector<std::string> label_keys,
                       PodCache &cache)
    : node_name_(std::move(node_name)), cache_(cache), client_(settings), owner_client_(std::move(settings)),
      health_(client_.settings().server, client_.settings().origin),
      owners_([this](const std::string &path) { return owner_client_.get(path, owner_timeout); }, max_owners),
      handler_(cache_, owners_, std::move(label_keys), [] { return boot_time_now_ns(); })
{
}

PodWatcher::~PodWatcher()
{
    stop();
}

void PodWatcher::start()
{
    thread_ = std::thread([this] { run(); });
}

void PodWatcher::stop()
{
    stopping_.store(true);
    client_.stop();
    owner_client_.stop();
    {
        std::lock_guard lock(wait_mutex_);
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void PodWatcher::wait(std::chrono::milliseconds duration)
{
    std::unique_lock lock(wait_mutex_);
    wake_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

void PodWatcher::lost(const std::string &why)
{
    if (connected_) {
        spdlog::warn("kubernetes: lost the pod watch of {}: {}; reconnecting with backoff (pods seen so far stay "
                     "known)",
                     client_.settings().server, why);
        connected_ = false;
    } else {
        spdlog::debug("kubernetes: {}: {}", client_.settings().server, why);
    }
}

bool PodWatcher::list()
{
    auto response = client_.get(pod_list_path(node_name_), request_timeout);
    if (!stopping_.load()) {
        health_.record(response, "list the pods of node " + node_name_);
    }
    if (!response) {
        lost("list: " + response.error());
        return false;
    }
    if (response->status != 200) {
        lost("list: HTTP " + std::to_string(response->status) + " " + snippet(response->body));
        return false;
    }
    auto stored = handler_.apply_list(response->body);
    if (!stored) {
        lost("list: " + stored.error());
        return false;
    }
    bool first = !listed_.load();
    spdlog::info("kubernetes: {} {} pods of node {} from {} (resourceVersion {})", first ? "listed" : "relisted",
                 *stored, node_name_, client_.settings().server, handler_.resource_version());
    connected_ = true;
    need_list_ = false;
    listed_.store(true, std::memory_order_release);
    return true;
}

bool PodWatcher::watch()
{
    bool received = false;
    bool relist = false;
    auto on_line = [&](std::string_view line) {
        std::string detail;
        auto outcome = handler_.apply_event(line, detail);
        if (!received) {
            received = true;
            health_.record(ApiResponse{200, {}}, "watch the pods of node " + node_name_);
            if (!connected_) {
                spdlog::info("kubernetes: watching the pods of node {} again", node_name_);
                connected_ = true;
            }
        }
        if (outcome == WatchOutcome::relist) {
            spdlog::info("kubernetes: the watch's resourceVersion expired ({}); listing again", detail);
            relist = true;
            return false;
        }
        if (outcome == WatchOutcome::error) {
            lost("watch error event: " + detail);
            return false;
        }
        return true;
    };
    auto response = client_.watch(pod_watch_path(node_name_, handler_.resource_version()), on_line);
    if (!stopping_.load() && !relist && !(response && response->status == 200 && received)) {
        health_.record(response, "watch the pods of node " + node_name_);
    }
    if (relist) {
        need_list_ = true;
    } else if (!response) {
        lost("watch: " + response.error());
    } else if (response->status == 410) {
        spdlog::info("kubernetes: the watch's resourceVersion expired (HTTP 410); listing again");
        need_list_ = true;
    } else if (response->status != 200) {
        lost("watch: HTTP " + std::to_string(response->status) + " " + snippet(response->body));
    } else {
        // The server ended the stream (timeoutSeconds): resume from the last resourceVersion.
        spdlog::debug("kubernetes: the pod watch ended; resuming from resourceVersion {}", handler_.resource_version());
    }
    return received;
}

void PodWatcher::run()
{
    util::Backoff backoff(util::BackoffLimits{std::chrono::milliseconds{200}, std::chrono::seconds{30}});
    while (!stopping_.load()) {
        if (need_list_) {
            if (!list()) {
                wait(backoff.next());
                continue;
            }
            backoff.reset();
        }
        auto began = std::chrono::steady_clock::now();
        if (watch()) {
            backoff.reset(); // the connection worked: a later failure starts from a short wait again
        }
        if (stopping_.load() || need_list_) {
            continue; // 410: list again at once
        }
        // A stream the server ended after a while (timeoutSeconds) resumes at
        // once; one that failed or ended at once waits, so that a broken
        // server is not asked in a tight loop.
        bool lasted = std::chrono::steady_clock::now() - began > std::chrono::seconds{10};
        if (!(connected_ && lasted)) {
            wait(backoff.next());
        }
    }
}

} // namespace vigil::kubernetes
