// SPDX-License-Identifier: Apache-2.0
// The namespace rules, through the real escape.so.
#include <sched.h> // CLONE_NEW*

#include "test_support.hpp"

using namespace escape_test;

TEST_CASE("nsenter from a container into the host's mount namespace")
{
    Sensor sensor;
    sensor.start();
    auto after = container_namespaces();
    after.mnt = host_mnt_ns;
    sensor.host.deliver(sensor.setns(attacker, CLONE_NEWNS, 0, container_namespaces(), after, host_mnt_ns));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.join_host_namespace");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.techniques == strings({"T1611"}));
    CHECK(alert.evidence_at("host_namespaces_joined") == "mnt");
    CHECK(alert.evidence_at("nstype") == "CLONE_NEWNS");
    CHECK(alert.evidence_at("mount_namespace_before") == std::to_string(container_mnt_ns));
    CHECK(alert.evidence_at("mount_namespace_after") == std::to_string(host_mnt_ns));
    CHECK(alert.evidence_at("namespaces_after").starts_with("mnt:" + std::to_string(host_mnt_ns) + " pid:"));
    CHECK(alert.evidence_at("target_namespace") == std::to_string(host_mnt_ns));
    CHECK(alert.evidence_lists.at("syscall_sequence") == strings({"setns(fd 3, CLONE_NEWNS) = 0"}));
}

TEST_CASE("joining the host's pid or network namespace, and a refused attempt")
{
    Sensor sensor;
    sensor.start();
    auto after = container_namespaces();
    after.pid_for_children = host_pid_ns;
    after.net = host_net_ns;
    sensor.host.deliver(sensor.setns(attacker, 0, 0, container_namespaces(), after, 0)); // a pidfd
    sensor.host.deliver(
        sensor.setns(attacker, CLONE_NEWNS, -1, container_namespaces(), container_namespaces(), host_mnt_ns));
    REQUIRE(sensor.alerts().size() == 2);
    CHECK(sensor.host.alerts()[0].evidence_at("host_namespaces_joined") == "pid,net");
    CHECK(sensor.host.alerts()[0].evidence_at("nstype") == "0");
    CHECK(sensor.host.alerts()[1].rule == "escape.join_host_namespace");
    CHECK(sensor.host.alerts()[1].severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(sensor.host.alerts()[1].evidence_at("succeeded") == "false");
}

TEST_CASE("joining another container's mount namespace")
{
    Sensor sensor;
    sensor.start();
    auto after = container_namespaces();
    after.mnt = neighbour_mnt_ns;
    sensor.host.deliver(sensor.setns(attacker, CLONE_NEWNS, 0, container_namespaces(), after, neighbour_mnt_ns));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.join_namespace");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
}

TEST_CASE("setns that raises nothing")
{
    Sensor sensor;
    sensor.start();
    // runc exec: runc init starts in the host's namespaces and joins the container's.
    sensor.host.deliver(
        sensor.setns(attacker, CLONE_NEWNS, 0, host_namespaces(), container_namespaces(), container_mnt_ns));
    // An operator's nsenter from the host (a host process).
    sensor.host.deliver(
        sensor.setns(host_admin, CLONE_NEWNS, 0, host_namespaces(), container_namespaces(), container_mnt_ns));
    // Joining another network namespace only.
    auto after = container_namespaces();
    after.net = 4026533000;
    sensor.host.deliver(sensor.setns(attacker, CLONE_NEWNET, 0, container_namespaces(), after, 4026533000));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a container's process running in the host's mount namespace")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, "/bin/true", host_mnt_ns));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.host_mount_namespace_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.evidence_at("filename") == "/bin/true");
    sensor.host.clear_alerts();
    // In its own mount namespace, or a host process: nothing.
    sensor.host.deliver(sensor.exec(attacker, "/bin/true", container_mnt_ns));
    sensor.host.deliver(sensor.exec(host_admin, "/bin/true", host_mnt_ns));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("runc init exec'ing in the host's mount namespace inside a new container's cgroup is the runtime")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.cgroup_created(container_cgroup));
    // runc init re-executing itself after the runtime moved it into the cgroup.
    sensor.host.deliver(sensor.exec(attacker, "/dev/fd/6", host_mnt_ns));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("escape_runtime_setup_records") == 1);
    // The entry point starts in the container's own mount namespace: set-up is over.
    sensor.host.deliver(sensor.exec(attacker, "/bin/sh", container_mnt_ns));
    CHECK(sensor.alerts().empty());
    // From now on an exec in the host's mount namespace is an escape.
    sensor.host.deliver(sensor.exec(attacker, "/bin/true", host_mnt_ns));
    CHECK(sensor.only_alert().rule == "escape.host_mount_namespace_exec");
}

TEST_CASE("a user namespace followed by a mount is one alert with the sequence")
{
    Sensor sensor;
    sensor.start();
    sensor.host.set_now(1'000'000'000);
    sensor.host.deliver(sensor.unshare(attacker, CLONE_NEWUSER | CLONE_NEWNS, 0));
    CHECK(sensor.alerts().empty());
    sensor.host.set_now(1'500'000'000);
    sensor.host.deliver(sensor.mount(attacker, "none", "/tmp/x", "tmpfs", 0, 0));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.userns_then_mount");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_lists.at("syscall_sequence") ==
          strings({"unshare(CLONE_NEWNS|CLONE_NEWUSER) = 0", "mount(none, /tmp/x, tmpfs) = 0"}));
    CHECK(alert.evidence_at("elapsed_ms") == "500");
    CHECK(alert.evidence_at("user_namespace_after") == "4026532999");
}

TEST_CASE("a user namespace without a follow-up in the window raises nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.set_now(1'000'000'000);
    sensor.host.deliver(sensor.unshare(attacker, CLONE_NEWUSER, 0));
    sensor.host.deliver(sensor.unshare(1500, CLONE_NEWUSER, -1)); // refused: nothing to follow up
    sensor.host.set_now(12'000'000'000);                          // past the default 10 s
    sensor.host.tick(12'000'000'000);
    sensor.host.deliver(sensor.mount(attacker, "none", "/tmp/x", "tmpfs", 0, 0));
    sensor.host.deliver(sensor.mount(1500, "none", "/tmp/x", "tmpfs", 0, 0));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a refused mount after a user namespace is a lower-severity finding; chroot counts too")
{
    Sensor sensor;
    sensor.host.set_option_literal("userns_window_s", "30");
    sensor.start();
    sensor.host.set_now(1'000'000'000);
    sensor.host.deliver(sensor.unshare(attacker, CLONE_NEWUSER | CLONE_NEWPID, 0));
    sensor.host.set_now(20'000'000'000);
    sensor.host.deliver(sensor.mount(attacker, "none", "/tmp/x", "tmpfs", 0, -1));
    sensor.host.deliver(sensor.root_change(attacker, ESCAPE_SYSCALL_CHROOT, "/tmp/x", 0, container_mnt_ns, 0, false));
    REQUIRE(sensor.alerts().size() == 2);
    CHECK(sensor.host.alerts()[0].severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(sensor.host.alerts()[1].evidence_lists.at("syscall_sequence")[1] == "chroot(/tmp/x) = 0");
}
