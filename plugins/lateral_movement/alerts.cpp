// SPDX-License-Identifier: Apache-2.0
// The alerts of the lateral_movement rules: summary, ATT&CK, evidence, and a
// deduplication key that makes repeats of one finding one alert.
#include <string>

#include <vigil/alert.hpp>

#include "detector.hpp"

namespace vigil_lateral_movement {
namespace {

const char *syscall_name(uint16_t syscall)
{
    switch (syscall) {
    case LATERAL_SYSCALL_OPEN:
        return "open";
    case LATERAL_SYSCALL_OPENAT:
        return "openat";
    case LATERAL_SYSCALL_OPENAT2:
        return "openat2";
    default:
        return "unknown";
    }
}

std::string container_of(const vigil::Event &event)
{
    const auto *container = event.container();
    return container != nullptr && container->id != nullptr ? container->id : "";
}

std::string actor_of(const vigil::Event &event)
{
    const auto *process = event.process();
    if (process != nullptr && process->exe != nullptr && process->exe[0] != '\0') {
        return process->exe;
    }
    const auto &comm = event.header().comm;
    return std::string(comm, strnlen(comm, sizeof(comm)));
}

} // namespace

void LateralMovementDetector::alert_token_read(const vigil::Event &event, const lateral_open &record,
                                               const std::string &path)
{
    const auto &info = rule_table.at(Rule::token_read);
    const auto actor = actor_of(event);
    const std::string passed(record.path, strnlen(record.path, sizeof(record.path)));
    const bool relative = (record.flags & LATERAL_OPEN_RELATIVE) != 0;

    vigil::Alert alert(info.id, info.severity);
    alert.attack(info.tactics, info.techniques);
    alert.summary("%s read the pod's service-account token %s", actor.c_str(), passed.c_str())
        .event(event)
        .evidence("path", passed.c_str())
        .evidence("token_path", path.c_str())
        .evidence("syscall", syscall_name(record.syscall))
        .evidence_bool("relative", relative);
    if (relative) {
        alert.evidence("relative_to", (record.flags & LATERAL_OPEN_BASE_FROM_FD) != 0 ? "dirfd" : "working directory");
    }
    const auto key = container_of(event) + ":" + actor + ":" + path;
    alert.dedup_key(key.c_str());
    alert.emit(host());
}

void LateralMovementDetector::alert_connect(const vigil::Event &event, Rule rule, const Endpoint &endpoint,
                                            const WatchedEndpoint &watched)
{
    const auto &info = rule_table.at(rule);
    const auto actor = actor_of(event);
    const auto destination = endpoint_text(endpoint);
    const auto watched_text = endpoint_text(watched.endpoint); // the alert keeps pointers: no temporaries

    vigil::Alert alert(info.id, info.severity);
    alert.attack(info.tactics, info.techniques);
    switch (watched.destination) {
    case Destination::api_server:
        alert.summary("%s connected to the Kubernetes API server at %s", actor.c_str(), destination.c_str());
        break;
    case Destination::kubelet:
        alert.summary("%s connected to a kubelet port: %s", actor.c_str(), destination.c_str());
        break;
    case Destination::etcd:
        alert.summary("%s connected to an etcd port: %s", actor.c_str(), destination.c_str());
        break;
    case Destination::metadata:
        alert.summary("%s connected to the cloud instance metadata service at %s", actor.c_str(), destination.c_str());
        break;
    }
    alert.event(event)
        .evidence("destination", destination_name(watched.destination))
        .evidence("endpoint", destination.c_str())
        .evidence("port", static_cast<uint32_t>(endpoint.port))
        .evidence("watched_endpoint", watched_text.c_str());
    const auto key = container_of(event) + ":" + actor + ":" + destination;
    alert.dedup_key(key.c_str());
    alert.emit(host());
}

void LateralMovementDetector::alert_correlated(const vigil::Event &event, const Sighting &read, const Sighting &connect,
                                               bool read_first)
{
    const auto &info = rule_table.at(Rule::token_then_api_connect);
    const std::string reader(read.exe_text());
    const std::string connector(connect.exe_text());
    const std::string reader_comm(read.comm_text());
    const std::string connector_comm(connect.comm_text());
    const std::string token_path(read.detail_text());
    const std::string endpoint(connect.detail_text());
    const auto earlier = read_first ? read.time_ns : connect.time_ns;
    const auto later = read_first ? connect.time_ns : read.time_ns;

    vigil::Alert alert(info.id, info.severity);
    alert.attack(info.tactics, info.techniques);
    alert
        .summary("the service-account token was read (%s, by %s) and the API server contacted (%s, by %s) by "
                 "one process tree",
                 token_path.c_str(), reader_comm.c_str(), endpoint.c_str(), connector_comm.c_str())
        .event(event)
        .evidence("token_path", token_path.c_str())
        .evidence("token_reader_pid", read.who.tgid)
        .evidence("token_reader_exe", reader.c_str())
        .evidence("token_reader_comm", reader_comm.c_str())
        .evidence("api_endpoint", endpoint.c_str())
        .evidence("connector_pid", connect.who.tgid)
        .evidence("connector_exe", connector.c_str())
        .evidence("connector_comm", connector_comm.c_str())
        .evidence("order", read_first ? "token read, then connect" : "connect, then token read")
        .evidence("seconds_between", static_cast<uint64_t>((later > earlier ? later - earlier : 0) / 1'000'000'000ull));
    const auto key = container_of(event) + ":" + std::to_string(read.who.tgid) + "->" + endpoint;
    alert.dedup_key(key.c_str());
    alert.emit(host());
}

} // namespace vigil_lateral_movement
