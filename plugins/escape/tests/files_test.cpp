// SPDX-License-Identifier: Apache-2.0
// The host-control file rules and escape.proc_root_access, through the real escape.so.
#include "test_support.hpp"

using namespace escape_test;

TEST_CASE("a release_agent opened for writing from a container")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.control_open(attacker, ESCAPE_CONTROL_RELEASE_AGENT, "/tmp/cg/release_agent", 3,
                                            ESCAPE_CGROUP_SUPER_MAGIC, "release_agent", "/"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.release_agent_write");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.tactics == strings({"TA0004"}));
    CHECK(alert.techniques == strings({"T1611"}));
    CHECK(alert.evidence_at("control_file") == "release_agent");
    CHECK(alert.evidence_at("path") == "/tmp/cg/release_agent");
    CHECK(alert.evidence_at("opened_name") == "release_agent");
    CHECK(alert.evidence_at("succeeded") == "true");
    CHECK(alert.evidence_at("access") == "write-only");
    CHECK(alert.has_event);
}

TEST_CASE("every host-control file has its rule, and a failed open is a lower-severity attempt")
{
    struct Case {
        uint32_t control;
        const char *path;
        const char *rule;
        vigil_severity severity;
    };
    const Case cases[] = {
        {ESCAPE_CONTROL_NOTIFY_ON_RELEASE, "x/notify_on_release", "escape.release_agent_write",
         VIGIL_SEVERITY_CRITICAL},
        {ESCAPE_CONTROL_CORE_PATTERN, "/proc/sys/kernel/core_pattern", "escape.core_pattern_write",
         VIGIL_SEVERITY_CRITICAL},
        {ESCAPE_CONTROL_SYSRQ_TRIGGER, "/proc/sysrq-trigger", "escape.sysrq_trigger_write", VIGIL_SEVERITY_HIGH},
        {ESCAPE_CONTROL_MODPROBE, "/proc/sys/kernel/modprobe", "escape.modprobe_write", VIGIL_SEVERITY_CRITICAL},
        {ESCAPE_CONTROL_BINFMT_REGISTER, "/mnt/register", "escape.binfmt_misc_register", VIGIL_SEVERITY_CRITICAL},
    };
    for (const auto &item : cases) {
        CAPTURE(item.rule);
        Sensor sensor;
        sensor.start();
        sensor.host.deliver(sensor.control_open(attacker, item.control, item.path, 4));
        sensor.host.deliver(sensor.control_open(attacker, item.control, std::string(item.path) + "2", -30));
        REQUIRE(sensor.alerts().size() == 2);
        CHECK(sensor.host.alerts()[0].rule == item.rule);
        CHECK(sensor.host.alerts()[0].severity == item.severity);
        CHECK(sensor.host.alerts()[1].rule == item.rule);
        CHECK(sensor.host.alerts()[1].severity == VIGIL_SEVERITY_MEDIUM);
        CHECK(sensor.host.alerts()[1].evidence_at("succeeded") == "false");
        CHECK(sensor.host.alerts()[1].evidence_at("return_value") == "-30");
        CHECK_FALSE(sensor.host.alerts()[1].has_evidence("opened_name"));
    }
}

TEST_CASE("host-control file opens that raise nothing")
{
    Sensor sensor;
    sensor.start();
    // The host's own processes: a host tool writing core_pattern is administration.
    sensor.host.deliver(sensor.control_open(host_admin, ESCAPE_CONTROL_CORE_PATTERN, "/proc/sys/kernel/core_pattern", 3,
                                            ESCAPE_PROC_SUPER_MAGIC, "core_pattern", "kernel"));
    // The runtime setting the container up.
    auto setup = sensor.control_open(attacker, ESCAPE_CONTROL_NOTIFY_ON_RELEASE, "notify_on_release", 3);
    setup.record_flags = ESCAPE_FLAG_RUNTIME_SETUP;
    sensor.host.deliver(setup);
    // A record the kernel side could not classify.
    sensor.host.deliver(sensor.control_open(attacker, ESCAPE_CONTROL_NONE, "/tmp/file", 3));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("escape_runtime_setup_records") == 1);
}

TEST_CASE("a rule can be switched off")
{
    Sensor sensor;
    sensor.host.set_option_literal("disabled_rules", "[\"escape.sysrq_trigger_write\"]");
    sensor.start();
    sensor.host.deliver(sensor.control_open(attacker, ESCAPE_CONTROL_SYSRQ_TRIGGER, "/proc/sysrq-trigger", 3));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("the root of a host process, opened from a container")
{
    Sensor sensor;
    sensor.start();
    // A host-PID container sees the host sleeper as its own pid 2000.
    sensor.add(attacker, attacker_ns_pid, container_cgroup, container_mnt_ns, host_pid_ns, "/bin/ls");
    sensor.host.deliver(sensor.root_open(attacker, host_sleeper, "/proc/2000/root/etc/shadow"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.proc_root_access");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.evidence_at("target_pid") == "2000");
    CHECK(alert.evidence_at("target_exe") == "/usr/bin/sleep");
    CHECK(alert.evidence_at("target_in_host_mount_namespace") == "true");
}

TEST_CASE("roots of unknown or other containers' processes are high, the caller's own namespace's are nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.root_open(attacker, 77, "/proc/77/root"));
    REQUIRE(sensor.alerts().size() == 1);
    CHECK(sensor.host.alerts()[0].severity == VIGIL_SEVERITY_HIGH);
    CHECK_FALSE(sensor.host.alerts()[0].has_evidence("target_exe"));
    sensor.host.clear_alerts();

    // The caller itself, and a process of its own container (same mount namespace, same root).
    sensor.add(1001, 11, container_cgroup, container_mnt_ns, container_pid_ns, "/usr/bin/python3");
    sensor.host.deliver(sensor.root_open(attacker, attacker_ns_pid, "/proc/10/root"));
    sensor.host.deliver(sensor.root_open(attacker, 11, "/proc/11/root/etc"));
    CHECK(sensor.alerts().empty());
}
