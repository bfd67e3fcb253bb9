// SPDX-License-Identifier: Apache-2.0
#include "kernel_known.hpp"

#include <cstring>

#include "detector.hpp"

namespace vigil_drift {
namespace {

constexpr const char *known_opens_map = "drift_known_opens";
constexpr const char *known_connects_map = "drift_known_connects";
constexpr const char *known_names_map = "drift_known_names";
constexpr const char *starts_map = "drift_container_starts";
constexpr uint8_t present = 1;

} // namespace

uint64_t drift_path_hash(std::string_view bytes)
{
    uint64_t hash = DRIFT_FNV_OFFSET;
    for (char c : bytes) {
        hash ^= static_cast<uint8_t>(c);
        hash *= DRIFT_FNV_PRIME;
    }
    return hash;
}

drift_known_open known_open_key(uint64_t cgroup_id, std::string_view path, bool write, bool directory_pattern)
{
    uint64_t bits = write ? DRIFT_HASH_WRITE : 0;
    if (directory_pattern) {
        // The kernel hashes up to and including the path's last '/'.
        auto slash = path.rfind('/');
        path = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
        bits |= DRIFT_HASH_DIRECTORY;
    }
    return drift_known_open{cgroup_id, (drift_path_hash(path) & ~3ull) | bits};
}

drift_known_connect known_connect_key(uint64_t cgroup_id, const drift_endpoint &remote, bool network)
{
    drift_known_connect key{};
    key.cgroup_id = cgroup_id;
    key.port = remote.port;
    std::memcpy(key.address, remote.address, sizeof(key.address));
    if (network) {
        if (remote.family == DRIFT_AF_INET) {
            key.address[3] = 0;
            key.prefix = 24;
        } else {
            std::memset(&key.address[8], 0, 8);
            key.prefix = 64;
        }
    }
    return key;
}

void KernelKnowledge::container_started(uint64_t cgroup_id, uint64_t started_unix_ns)
{
    auto &keys = keys_[cgroup_id];
    if (keys.started || started_unix_ns == 0) {
        return;
    }
    keys.started = true;
    host_.map_update(bpf_object_name, starts_map, cgroup_id, drift_container_start{started_unix_ns});
}

void KernelKnowledge::remember_open(const drift_known_open &key)
{
    int status = host_.map_update(bpf_object_name, known_opens_map, key, present);
    if (status == 0) {
        keys_[key.cgroup_id].opens.push_back(key);
    }
}

void KernelKnowledge::remember_connect(const drift_known_connect &key)
{
    int status = host_.map_update(bpf_object_name, known_connects_map, key, present);
    if (status == 0) {
        keys_[key.cgroup_id].connects.push_back(key);
    }
}

void KernelKnowledge::remember_name(const drift_known_name &key)
{
    int status = host_.map_update(bpf_object_name, known_names_map, key, present);
    if (status == 0) {
        keys_[key.cgroup_id].names.push_back(key);
    }
}

void KernelKnowledge::forget_container(uint64_t cgroup_id)
{
    auto found = keys_.find(cgroup_id);
    if (found == keys_.end()) {
        return;
    }
    for (const auto &key : found->second.opens) {
        host_.map_delete(bpf_object_name, known_opens_map, key);
    }
    for (const auto &key : found->second.connects) {
        host_.map_delete(bpf_object_name, known_connects_map, key);
    }
    for (const auto &key : found->second.names) {
        host_.map_delete(bpf_object_name, known_names_map, key);
    }
    if (found->second.started) {
        host_.map_delete(bpf_object_name, starts_map, cgroup_id);
    }
    keys_.erase(found);
}

void KernelKnowledge::forget_all()
{
    for (auto &[cgroup_id, keys] : keys_) {
        for (const auto &key : keys.opens) {
            host_.map_delete(bpf_object_name, known_opens_map, key);
        }
        for (const auto &key : keys.connects) {
            host_.map_delete(bpf_object_name, known_connects_map, key);
        }
        for (const auto &key : keys.names) {
            host_.map_delete(bpf_object_name, known_names_map, key);
        }
        keys.opens.clear();
        keys.connects.clear();
        keys.names.clear();
    }
}

} // namespace vigil_drift
