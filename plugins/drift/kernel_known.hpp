// SPDX-License-Identifier: Apache-2.0
// What a container's profile already holds, told to the kernel side so that
// its programs send nothing for it again: opens by path hash (or, for a
// collapsed "dir/*", by its directory's hash), connects by address and port
// (or collapsed network), DNS names by the hash of the name as sent, and
// each container's start for the dropped-binary test. Keys are remembered per container, so that a container's removal
// or a profile's reset takes them all back out.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <vigil/host.hpp>

#include "drift_events.h"

namespace vigil_drift {

// FNV-1a over @bytes, as drift.bpf.c hashes paths.
uint64_t drift_path_hash(std::string_view bytes);

// The map key of an open the profile holds: @path exactly, or with @directory_pattern, every
// path directly under @path's directory ("write /tmp/*").
drift_known_open known_open_key(uint64_t cgroup_id, std::string_view path, bool write, bool directory_pattern);
// The map key of a connect the profile holds: @remote exactly, or with @network, its /24 (IPv4) or /64 (IPv6).
drift_known_connect known_connect_key(uint64_t cgroup_id, const drift_endpoint &remote, bool network);

class KernelKnowledge {
public:
    explicit KernelKnowledge(vigil::Host host) : host_(host) {}

    void container_started(uint64_t cgroup_id, uint64_t started_unix_ns);
    void remember_open(const drift_known_open &key);
    void remember_connect(const drift_known_connect &key);
    void remember_name(const drift_known_name &key);
    // The container is gone: every key it had leaves the maps.
    void forget_container(uint64_t cgroup_id);
    // Profiles were reset or replaced: what the kernel was told may no longer hold.
    void forget_all();

private:
    struct Keys {
        std::vector<drift_known_open> opens;
        std::vector<drift_known_connect> connects;
        std::vector<drift_known_name> names;
        bool started = false;
    };

    vigil::Host host_;
    std::unordered_map<uint64_t, Keys> keys_; // by cgroup id
};

} // namespace vigil_drift
