// SPDX-License-Identifier: Apache-2.0
// A fake sensor with the escape plugin loaded and a small world around it: an
// ordinary container, a host-PID container, and processes on the host.
#pragma once

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

#include "escape_events.h"

namespace escape_test {

// The host's namespaces (FakeHost's defaults).
inline constexpr uint32_t host_mnt_ns = 4026531841;
inline constexpr uint32_t host_pid_ns = 4026531836;
inline constexpr uint32_t host_net_ns = 4026531840;

inline constexpr uint64_t container_cgroup = 7001;
inline constexpr uint32_t container_mnt_ns = 4026532500;
inline constexpr uint32_t container_pid_ns = 4026532501;
inline constexpr uint32_t container_net_ns = 4026532502;
inline constexpr uint64_t neighbour_cgroup = 7002;
inline constexpr uint32_t neighbour_mnt_ns = 4026532600;

// In the container: the attacker is pid 10 there. On the host: a sleeper and an admin's shell.
inline constexpr uint32_t attacker = 1000;
inline constexpr uint32_t attacker_ns_pid = 10;
inline constexpr uint32_t neighbour = 1500;
inline constexpr uint32_t host_sleeper = 2000;
inline constexpr uint32_t host_admin = 2001;

// The namespaces of a process in the container, or on the host.
inline escape_namespaces container_namespaces()
{
    return {container_mnt_ns, container_pid_ns, container_pid_ns, container_net_ns,
            4026532503,       4026532504,       4026532505,       4026531837};
}
inline escape_namespaces host_namespaces()
{
    return {host_mnt_ns, host_pid_ns, host_pid_ns, host_net_ns, 4026531838, 4026531839, 4026531835, 4026531837};
}

// The device of "/" as the plugin finds it (through /proc/1/root or its own root), as the kernel encodes it.
inline uint32_t root_device_kernel_encoding()
{
    struct stat status {};
    if (stat("/proc/1/root/", &status) != 0) {
        REQUIRE(stat("/", &status) == 0);
    }
    return (major(status.st_dev) << 20) | minor(status.st_dev);
}

template <std::size_t Capacity> void copy_text(char (&field)[Capacity], const std::string &text)
{
    std::memset(field, 0, Capacity);
    std::memcpy(field, text.data(), std::min(text.size(), Capacity - 1));
}

// A procfs stand-in: the plugin reads the kernel's module support from it.
struct FakeProcRoot {
    std::filesystem::path path;

    FakeProcRoot()
    {
        char pattern[] = "/tmp/escape-test-proc-XXXXXX";
        path = mkdtemp(pattern);
        set_module_support(true);
    }
    ~FakeProcRoot() { std::filesystem::remove_all(path); }
    FakeProcRoot(const FakeProcRoot &) = delete;
    FakeProcRoot &operator=(const FakeProcRoot &) = delete;

    void set_module_support(bool supported) const
    {
        if (supported) {
            std::ofstream(path / "modules") << "";
        } else {
            std::filesystem::remove(path / "modules");
        }
    }
};

struct Sensor {
    vigil::testing::FakeHost host{ESCAPE_PLUGIN_PATH};
    FakeProcRoot proc;

    Sensor()
    {
        vigil::testing::FakeHost::HostFacts facts;
        facts.proc_root = proc.path.string();
        host.set_host_facts(facts);
        vigil::testing::FakeContainer container;
        container.cgroup_id = container_cgroup;
        container.id = std::string(64, 'c');
        host.add_container(container);
        vigil::testing::FakeContainer other;
        other.cgroup_id = neighbour_cgroup;
        other.id = std::string(64, 'd');
        host.add_container(other);
        add(attacker, attacker_ns_pid, container_cgroup, container_mnt_ns, container_pid_ns, "/bin/sh");
        add(neighbour, 1, neighbour_cgroup, neighbour_mnt_ns, 4026532601, "/usr/sbin/nginx");
        add(host_sleeper, 0, 1, host_mnt_ns, host_pid_ns, "/usr/bin/sleep");
        add(host_admin, 0, 1, host_mnt_ns, host_pid_ns, "/usr/bin/nsenter");
    }

    void add(uint32_t tgid, uint32_t ns_tgid, uint64_t cgroup, uint32_t mnt_ns, uint32_t pid_ns, const char *exe)
    {
        vigil::testing::FakeProcess process;
        process.tgid = tgid;
        process.ns_tgid = ns_tgid;
        process.parent_tgid = 1;
        process.cgroup_id = cgroup;
        process.mnt_ns = mnt_ns;
        process.pid_ns = pid_ns;
        process.exe = exe;
        host.add_process(process);
    }

    void start() { REQUIRE(host.start() == 0); }

    const std::vector<vigil::testing::RecordedAlert> &alerts()
    {
        CHECK(host.problems().empty());
        return host.alerts();
    }

    const vigil::testing::RecordedAlert &only_alert()
    {
        REQUIRE(alerts().size() == 1);
        return host.alerts().front();
    }

    escape_control_open control_open(uint32_t tgid, uint32_t control, const std::string &path, int64_t ret,
                                     uint64_t magic = 0, const std::string &name = "", const std::string &parent = "")
    {
        auto record = host.make_record<escape_control_open>(ESCAPE_KIND_CONTROL_OPEN, tgid);
        record.ret = ret;
        record.flags = 01 | 02000; // O_WRONLY | O_APPEND
        record.fs_magic = magic;
        record.control = control;
        record.syscall = ESCAPE_SYSCALL_OPENAT;
        copy_text(record.path, path);
        record.path_size = static_cast<uint16_t>(path.size() + 1);
        copy_text(record.name, name);
        copy_text(record.parent, parent);
        return record;
    }

    escape_root_open root_open(uint32_t tgid, uint32_t target, const std::string &path)
    {
        auto record = host.make_record<escape_root_open>(ESCAPE_KIND_ROOT_OPEN, tgid);
        record.flags = 0200000; // O_DIRECTORY
        record.target_ns_pid = target;
        record.syscall = ESCAPE_SYSCALL_OPENAT;
        copy_text(record.path, path);
        record.path_size = static_cast<uint16_t>(path.size() + 1);
        return record;
    }

    escape_mount mount(uint32_t tgid, const std::string &source, const std::string &target, const std::string &fstype,
                       uint64_t flags, int64_t ret, uint16_t syscall = ESCAPE_SYSCALL_MOUNT)
    {
        auto record = host.make_record<escape_mount>(ESCAPE_KIND_MOUNT, tgid);
        record.ret = ret;
        record.mount_flags = flags;
        record.syscall = syscall;
        copy_text(record.source, source);
        copy_text(record.target, target);
        copy_text(record.fstype, fstype);
        return record;
    }

    escape_root_change root_change(uint32_t tgid, uint16_t syscall, const std::string &path, int64_t ret,
                                   uint32_t new_mnt_ns, uint32_t new_dev, bool fs_root)
    {
        auto record = host.make_record<escape_root_change>(ESCAPE_KIND_ROOT_CHANGE, tgid);
        record.ret = ret;
        record.syscall = syscall;
        copy_text(record.path, path);
        record.path_size = static_cast<uint16_t>(path.size() + 1);
        record.old_root_mnt_ns = container_mnt_ns;
        record.new_root_mnt_ns = new_mnt_ns;
        record.old_root_dev = (8u << 20) | 1;
        record.new_root_dev = new_dev;
        record.new_root_is_fs_root = fs_root ? 1 : 0;
        return record;
    }

    escape_namespace_change setns(uint32_t tgid, uint64_t nstype, int64_t ret, const escape_namespaces &before,
                                  const escape_namespaces &after, uint32_t target_inum)
    {
        auto record = host.make_record<escape_namespace_change>(ESCAPE_KIND_SETNS, tgid);
        record.ret = ret;
        record.flags = nstype;
        record.fd = 3;
        record.target_fs_magic = ESCAPE_NSFS_MAGIC;
        record.target_inum = target_inum;
        record.syscall = ESCAPE_SYSCALL_SETNS;
        record.before = before;
        record.after = after;
        return record;
    }

    escape_namespace_change unshare(uint32_t tgid, uint64_t flags, int64_t ret)
    {
        auto record = host.make_record<escape_namespace_change>(ESCAPE_KIND_UNSHARE, tgid);
        record.ret = ret;
        record.flags = flags;
        record.fd = -1;
        record.syscall = ESCAPE_SYSCALL_UNSHARE;
        record.before = container_namespaces();
        record.after = container_namespaces();
        record.after.user = 4026532999;
        return record;
    }

    escape_kernel_load kernel_load(uint32_t tgid, uint16_t syscall, uint16_t phase, int64_t ret,
                                   const std::string &name = "")
    {
        auto record = host.make_record<escape_kernel_load>(ESCAPE_KIND_KERNEL_LOAD, tgid);
        record.ret = ret;
        record.syscall = syscall;
        record.phase = phase;
        record.fd = syscall == ESCAPE_SYSCALL_FINIT_MODULE ? 3 : -1;
        copy_text(record.name, name);
        return record;
    }

    // The runtime (a host process) creating @cgroup.
    vigil_cgroup_change cgroup_created(uint64_t cgroup)
    {
        auto record = host.make_record<vigil_cgroup_change>(VIGIL_KIND_CGROUP_CREATED, host_admin);
        record.cgroup_id = cgroup;
        return record;
    }

    vigil_process_exec exec(uint32_t tgid, const std::string &filename, uint32_t mnt_ns)
    {
        auto record = host.make_record<vigil_process_exec>(VIGIL_KIND_PROCESS_EXEC, tgid);
        record.header.mnt_ns = mnt_ns;
        copy_text(record.filename, filename);
        record.filename_size = static_cast<uint16_t>(filename.size() + 1);
        return record;
    }
};

inline std::vector<std::string> strings(std::initializer_list<const char *> items)
{
    return {items.begin(), items.end()};
}

} // namespace escape_test
