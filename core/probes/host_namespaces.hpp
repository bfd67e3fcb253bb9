// SPDX-License-Identifier: Apache-2.0
// The host's mount and pid namespaces, against which "in a container" and
// "joined the host's namespace" are judged. A node's pid 1 is the authority;
// where it cannot be read (some VMs deny it even to root) the sensor's own
// namespaces stand in, which is right when the sensor runs on the host and
// must be said loudly otherwise.
#pragma once

#include <cstdint>
#include <string>

namespace vigil::probes {

struct HostNamespaces {
    uint32_t mnt_ns = 0;
    uint32_t pid_ns = 0;
    uint32_t net_ns = 0;
    std::string source; // "/proc/1" or "/proc/self"
};

HostNamespaces discover_host_namespaces(const std::string &proc_root);

} // namespace vigil::probes
