// SPDX-License-Identifier: Apache-2.0
// A fake sensor with the injection plugin loaded and a small world around it:
// a container with an attacker and a victim, and a debugger on the host.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

#include "injection_events.h"

namespace injection_test {

inline constexpr uint64_t container_cgroup = 7001;
inline constexpr uint32_t container_pid_ns = 4026532400;
inline constexpr uint32_t host_pid_ns = 4026531836;

// In the container: the attacker is pid 10 there, the victim 11.
inline constexpr uint32_t attacker = 1000;
inline constexpr uint32_t attacker_ns_pid = 10;
inline constexpr uint32_t victim = 1001;
inline constexpr uint32_t victim_ns_pid = 11;
// On the host: a debugger someone runs on purpose, and its debuggee.
inline constexpr uint32_t debugger = 2000;
inline constexpr uint32_t debuggee = 2001;

struct Sensor {
    vigil::testing::FakeHost host{INJECTION_PLUGIN_PATH};

    Sensor()
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = container_cgroup;
        container.id = std::string(64, 'c');
        host.add_container(container);
        add(attacker, attacker_ns_pid, 999, container_cgroup, container_pid_ns, "/usr/bin/python3");
        add(victim, victim_ns_pid, 999, container_cgroup, container_pid_ns, "/usr/sbin/nginx");
        add(debugger, 0, 1, 1, host_pid_ns, "/usr/bin/gdb");
        add(debuggee, 0, debugger, 1, host_pid_ns, "/opt/app/server");
    }

    void add(uint32_t tgid, uint32_t ns_tgid, uint32_t parent, uint64_t cgroup, uint32_t pid_ns, const char *exe)
    {
        vigil::testing::FakeProcess process;
        process.tgid = tgid;
        process.ns_tgid = ns_tgid;
        process.parent_tgid = parent;
        process.cgroup_id = cgroup;
        process.pid_ns = pid_ns;
        process.exe = exe;
        host.add_process(process);
    }

    // Starts the plugin; every test checks the start and that no alert was refused.
    void start() { REQUIRE(host.start() == 0); }

    const std::vector<vigil::testing::RecordedAlert> &alerts()
    {
        CHECK(host.problems().empty());
        return host.alerts();
    }

    // A single alert is expected: returns it.
    const vigil::testing::RecordedAlert &only_alert()
    {
        REQUIRE(alerts().size() == 1);
        return host.alerts().front();
    }

    injection_ptrace ptrace(uint32_t tgid, int64_t request, uint32_t target, int64_t ret = 0, uint64_t address = 0)
    {
        auto record = host.make_record<injection_ptrace>(INJECTION_KIND_PTRACE, tgid);
        record.request = request;
        record.ret = ret;
        record.address = address;
        record.target_ns_pid = target;
        return record;
    }

    injection_vm_writev vm_writev(uint32_t tgid, uint32_t target, int64_t ret)
    {
        auto record = host.make_record<injection_vm_writev>(INJECTION_KIND_VM_WRITEV, tgid);
        record.ret = ret;
        record.target_ns_pid = target;
        record.remote_address = 0x4a90d0;
        record.remote_length = 8;
        record.local_iov_count = 1;
        record.remote_iov_count = 1;
        return record;
    }

    injection_open open(uint32_t tgid, const std::string &path, uint64_t flags,
                        uint16_t syscall = INJECTION_SYSCALL_OPENAT)
    {
        auto record = host.make_record<injection_open>(INJECTION_KIND_OPEN, tgid);
        record.flags = flags;
        record.syscall = syscall;
        std::memcpy(record.path, path.data(), std::min(path.size(), sizeof(record.path)));
        record.path_size = static_cast<uint16_t>(std::min(path.size() + 1, sizeof(record.path)));
        return record;
    }

    injection_exec exec(uint32_t tgid, uint32_t flags, const std::string &exe_name, const std::string &filename,
                        const std::string &ld_preload = "")
    {
        auto record = host.make_record<injection_exec>(INJECTION_KIND_EXEC, tgid);
        record.flags = flags;
        std::memcpy(record.exe_name, exe_name.data(), std::min(exe_name.size(), sizeof(record.exe_name) - 1));
        std::memcpy(record.filename, filename.data(), std::min(filename.size(), sizeof(record.filename) - 1));
        record.filename_size = static_cast<uint16_t>(filename.size() + 1);
        std::memcpy(record.ld_preload, ld_preload.data(), std::min(ld_preload.size(), sizeof(record.ld_preload) - 1));
        record.preload_size = ld_preload.empty() ? 0 : static_cast<uint16_t>(ld_preload.size() + 1);
        return record;
    }
};

inline std::vector<std::string> strings(std::initializer_list<const char *> items)
{
    return {items.begin(), items.end()};
}

} // namespace injection_test
