// SPDX-License-Identifier: Apache-2.0
// The mount and root-change rules, through the real escape.so.
#include "test_support.hpp"

using namespace escape_test;

namespace {
constexpr uint64_t MS_RDONLY = 1;
constexpr uint64_t MS_REMOUNT = 32;
constexpr uint64_t MS_BIND = 4096;
constexpr uint64_t MS_REC = 16384;
constexpr uint64_t MS_PRIVATE = 1u << 18;
} // namespace

TEST_CASE("mounts of a block device, procfs, cgroupfs and another process's root")
{
    struct Case {
        const char *source;
        const char *fstype;
        uint64_t flags;
        const char *rule;
        const char *kind;
    };
    const Case cases[] = {
        {"/dev/vda1", "ext4", MS_RDONLY, "escape.mount_block_device", "block device"},
        {"/tmp/disk", "xfs", 0, "escape.mount_block_device", "block device"},
        {"/dev/sdb", "", 0, "escape.mount_block_device", "block device"},
        {"proc", "proc", 0, "escape.mount_procfs", "procfs"},
        {"cgroup", "cgroup", 0, "escape.mount_cgroupfs", "cgroupfs"},
        {"none", "cgroup2", 0, "escape.mount_cgroupfs", "cgroupfs"},
        {"/proc/2000/root", "", MS_BIND | MS_REC, "escape.mount_host_root", "another process's root"},
    };
    for (const auto &item : cases) {
        CAPTURE(item.source);
        Sensor sensor;
        sensor.start();
        sensor.host.deliver(sensor.mount(attacker, item.source, "/mnt", item.fstype, item.flags, 0));
        const auto &alert = sensor.only_alert();
        CHECK(alert.rule == item.rule);
        CHECK(alert.techniques == strings({"T1611"}));
        CHECK(alert.evidence_at("mount_kind") == item.kind);
        CHECK(alert.evidence_at("source") == item.source);
        CHECK(alert.evidence_at("succeeded") == "true");
        REQUIRE(alert.evidence_lists.at("syscall_sequence").size() == 1);
        CHECK(alert.evidence_lists.at("syscall_sequence")[0].starts_with("mount("));
    }
}

TEST_CASE("a refused mount is a lower-severity attempt")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.mount(attacker, "/dev/vda", "/mnt", "ext4", 0, -1));
    sensor.host.deliver(sensor.mount(attacker, "proc", "/mnt", "proc", 0, -1));
    REQUIRE(sensor.alerts().size() == 2);
    CHECK(sensor.host.alerts()[0].severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(sensor.host.alerts()[0].evidence_at("succeeded") == "false");
    CHECK(sensor.host.alerts()[1].severity == VIGIL_SEVERITY_LOW);
}

TEST_CASE("fsopen of a sensitive filesystem type")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.mount(attacker, "", "", "cgroup", 0, 3, ESCAPE_SYSCALL_FSOPEN));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.mount_cgroupfs");
    CHECK(alert.evidence_at("syscall") == "fsopen");
}

TEST_CASE("mounts that raise nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.mount(attacker, "none", "/tmp/x", "tmpfs", 0, 0));
    sensor.host.deliver(sensor.mount(attacker, "/dev/shm", "/tmp/x", "tmpfs", 0, 0)); // a device-looking source
    sensor.host.deliver(sensor.mount(attacker, "/data", "/tmp/x", "", MS_BIND, 0));
    sensor.host.deliver(sensor.mount(attacker, "/proc/self/root", "/tmp/x", "", MS_BIND, 0));
    sensor.host.deliver(sensor.mount(attacker, "/proc/10/root", "/tmp/x", "", MS_BIND, 0)); // its own
    sensor.host.deliver(sensor.mount(attacker, "", "/", "", MS_PRIVATE | MS_REC, 0));
    sensor.host.deliver(sensor.mount(attacker, "proc", "/proc", "proc", MS_REMOUNT | MS_RDONLY, 0));
    // runc init mounting the container's /proc and /sys/fs/cgroup.
    auto setup = sensor.mount(attacker, "proc", "/proc", "proc", 0, 0);
    setup.record_flags = ESCAPE_FLAG_RUNTIME_SETUP;
    sensor.host.deliver(setup);
    // The host mounting what it likes.
    sensor.host.deliver(sensor.mount(host_admin, "/dev/vdb", "/srv", "ext4", 0, 0));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("allowed mount executables are counted, not alerted")
{
    Sensor sensor;
    sensor.host.set_option_literal("allowed_mount_executables", "[\"/bin/s*\"]");
    sensor.start();
    sensor.host.deliver(sensor.mount(attacker, "/dev/vdb", "/csi", "ext4", 0, 0));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("escape_allowed_findings") == 1);
}

TEST_CASE("chroot into a mount of the host's mount namespace")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(
        sensor.root_change(attacker, ESCAPE_SYSCALL_CHROOT, "/proc/2000/root", 0, host_mnt_ns, (8u << 20) | 1, true));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.root_change_to_host");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.evidence_at("reason") == "a mount of the host's mount namespace");
    CHECK(alert.evidence_at("new_root_mount_namespace") == std::to_string(host_mnt_ns));
    CHECK(alert.evidence_at("syscall") == "chroot");
}

TEST_CASE("pivot_root onto the top of the host's root filesystem")
{
    Sensor sensor;
    sensor.start();
    const uint32_t root_device = root_device_kernel_encoding();
    sensor.host.deliver(
        sensor.root_change(attacker, ESCAPE_SYSCALL_PIVOT_ROOT, ".", 0, container_mnt_ns + 7, root_device, true));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.root_change_to_host");
    CHECK(alert.evidence_at("reason") == "the top of the host's root filesystem");
    CHECK(alert.evidence_at("new_root_is_filesystem_top") == "true");
}

TEST_CASE("root changes that raise nothing, and a failed attempt at another process's root")
{
    Sensor sensor;
    sensor.start();
    const uint32_t root_device = root_device_kernel_encoding();
    // A directory of the host's disk that is not its top: the container's own rootfs, say.
    sensor.host.deliver(
        sensor.root_change(attacker, ESCAPE_SYSCALL_CHROOT, "/srv/jail", 0, container_mnt_ns, root_device, false));
    // runc init's pivot_root into the container's rootfs.
    auto setup =
        sensor.root_change(attacker, ESCAPE_SYSCALL_PIVOT_ROOT, "/run/rootfs", 0, host_mnt_ns, root_device, true);
    setup.record_flags = ESCAPE_FLAG_RUNTIME_SETUP;
    sensor.host.deliver(setup);
    CHECK(sensor.alerts().empty());

    sensor.host.deliver(
        sensor.root_change(attacker, ESCAPE_SYSCALL_CHROOT, "/proc/2000/root", -1, container_mnt_ns, 0, false));
    const auto &alert = sensor.only_alert();
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.evidence_at("reason") == "another process's root");
}
