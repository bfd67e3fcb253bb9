// SPDX-License-Identifier: Apache-2.0
// The fake host's process and container tables: what a test fills in place of
// the sensor's /proc scan and cgroup resolution, and the ABI views the host
// hands out of them (find_process, process_ancestry, find_container,
// find_process_in_namespace, and an event's process and container).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

// A process of the fake process table; find_process and events resolve to it by tgid.
struct FakeProcess {
    uint32_t tgid = 0;
    uint32_t ns_tgid = 0; // 0: the same as tgid (a host process)
    uint32_t parent_tgid = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint64_t start_ns = 0;
    uint64_t cgroup_id = 0; // a container's cgroup makes it a container process
    uint32_t mnt_ns = 0;
    uint32_t pid_ns = 0;
    uint32_t net_ns = 0;
    bool exited = false;
    std::string exe;
    std::string cmdline;
    std::string comm; // for event headers; "" takes the exe's base name
};

struct FakeContainer {
    uint64_t cgroup_id = 0;
    std::string id = std::string(64, 'a');
    std::string runtime = "containerd";
    std::string pod_uid;
    std::string cgroup_path;
    // ABI 1.7: the container in its pod, as the Kubernetes API gives it.
    std::string name;
    std::string image;
    std::string image_id;
    std::string pod_namespace;
    std::string pod_name;
    std::string workload_kind;
    std::string workload_name;
    std::string template_hash;
    uint64_t started_ns = 0;
    uint32_t metadata_source = VIGIL_METADATA_CGROUP; // enum vigil_metadata_source
    bool existed_at_start = false;
};

class FakeTables {
public:
    FakeProcess &add_process(FakeProcess process)
    {
        auto tgid = process.tgid;
        auto &entry = processes_[tgid];
        entry.process = std::move(process);
        return entry.process;
    }
    void remove_process(uint32_t tgid) { processes_.erase(tgid); }
    void add_container(FakeContainer container)
    {
        auto cgroup = container.cgroup_id;
        containers_[cgroup].container = std::move(container);
    }

    // The test's own description of process @tgid, or nullptr.
    const FakeProcess *process(uint32_t tgid) const
    {
        auto found = processes_.find(tgid);
        return found != processes_.end() ? &found->second.process : nullptr;
    }

    // The ABI view of process @tgid, or nullptr. Valid until the next call for the same process.
    const vigil_process *find_process(uint32_t tgid)
    {
        auto found = processes_.find(tgid);
        if (found == processes_.end()) {
            return nullptr;
        }
        auto &entry = found->second;
        const auto &process = entry.process;
        entry.view = vigil_process{};
        entry.view.struct_size = sizeof(vigil_process);
        entry.view.tgid = process.tgid;
        entry.view.ns_tgid = process.ns_tgid != 0 ? process.ns_tgid : process.tgid;
        entry.view.parent_tgid = process.parent_tgid;
        entry.view.uid = process.uid;
        entry.view.gid = process.gid;
        entry.view.start_ns = process.start_ns;
        entry.view.cgroup_id = process.cgroup_id;
        entry.view.mnt_ns = process.mnt_ns;
        entry.view.pid_ns = process.pid_ns;
        entry.view.net_ns = process.net_ns;
        entry.view.exited = process.exited ? 1 : 0;
        entry.view.exe = process.exe.c_str();
        entry.view.cmdline = process.cmdline.c_str();
        return &entry.view;
    }

    // The parent, grandparent, ... of @tgid, at most @capacity, stopping at pid 1 or a process that is its own parent.
    uint32_t ancestry(uint32_t tgid, const vigil_process **ancestors, uint32_t capacity)
    {
        uint32_t count = 0;
        const auto *start = process(tgid);
        uint32_t parent = start != nullptr ? start->parent_tgid : 0;
        while (count < capacity && parent != 0 && parent != tgid) {
            const auto *ancestor = find_process(parent);
            if (ancestor == nullptr) {
                break;
            }
            ancestors[count++] = ancestor;
            if (ancestor->tgid == 1 || ancestor->parent_tgid == ancestor->tgid) {
                break;
            }
            parent = ancestor->parent_tgid;
        }
        return count;
    }

    // The process pid namespace @pid_ns calls @ns_tgid, or nullptr.
    const vigil_process *find_process_in_namespace(uint32_t pid_ns, uint32_t ns_tgid)
    {
        for (auto &[tgid, entry] : processes_) {
            uint32_t own = entry.process.ns_tgid != 0 ? entry.process.ns_tgid : tgid;
            if (entry.process.pid_ns == pid_ns && own == ns_tgid) {
                return find_process(tgid);
            }
        }
        return nullptr;
    }

    // The ABI view of the container of cgroup @cgroup_id, or nullptr (a host cgroup).
    const vigil_container *find_container(uint64_t cgroup_id)
    {
        auto found = containers_.find(cgroup_id);
        if (found == containers_.end()) {
            return nullptr;
        }
        auto &entry = found->second;
        entry.view = vigil_container{};
        entry.view.struct_size = sizeof(vigil_container);
        entry.view.cgroup_id = entry.container.cgroup_id;
        entry.view.id = entry.container.id.c_str();
        entry.view.runtime = entry.container.runtime.c_str();
        entry.view.pod_uid = entry.container.pod_uid.c_str();
        entry.view.cgroup_path = entry.container.cgroup_path.c_str();
        entry.view.name = entry.container.name.c_str();
        entry.view.image = entry.container.image.c_str();
        entry.view.image_id = entry.container.image_id.c_str();
        entry.view.pod_namespace = entry.container.pod_namespace.c_str();
        entry.view.pod_name = entry.container.pod_name.c_str();
        entry.view.workload_kind = entry.container.workload_kind.c_str();
        entry.view.workload_name = entry.container.workload_name.c_str();
        entry.view.template_hash = entry.container.template_hash.c_str();
        entry.view.started_ns = entry.container.started_ns;
        entry.view.metadata_source = entry.container.metadata_source;
        entry.view.existed_at_start = entry.container.existed_at_start ? 1 : 0;
        return &entry.view;
    }

private:
    // Each entry keeps its own view, so the pointers handed out stay put while the table grows.
    struct ProcessEntry {
        FakeProcess process;
        vigil_process view{};
    };
    struct ContainerEntry {
        FakeContainer container;
        vigil_container view{};
    };

    std::map<uint32_t, ProcessEntry> processes_;
    std::map<uint64_t, ContainerEntry> containers_;
};

} // namespace vigil::testing
