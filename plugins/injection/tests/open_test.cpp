// SPDX-License-Identifier: Apache-2.0
// injection.proc_mem_write and injection.ld_so_preload_write, through the real injection.so.
#include <fcntl.h>

#include "test_support.hpp"

using namespace injection_test;

TEST_CASE("opening another process's memory for writing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(attacker, "/proc/11/mem", O_RDWR | O_CLOEXEC));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.proc_mem_write");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.tactics == strings({"TA0005", "TA0004"}));
    CHECK(alert.techniques == strings({"T1055.009"}));
    CHECK(alert.evidence_at("syscall") == "openat");
    CHECK(alert.evidence_at("path") == "/proc/11/mem");
    CHECK(alert.evidence_at("access") == "read-write");
    CHECK(alert.evidence_at("open_flags") == std::to_string(O_RDWR | O_CLOEXEC));
    CHECK(alert.evidence_at("target_pid") == "11");
    CHECK(alert.evidence_at("target_global_pid") == "1001");
    CHECK(alert.evidence_at("target_exe") == "/usr/sbin/nginx");
    CHECK_FALSE(alert.has_evidence("target_tid"));
    CHECK(alert.dedup_key == "1000->11");
}

TEST_CASE("a thread's memory file, through open and openat2")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(attacker, "/proc/11/task/12/mem", O_WRONLY, INJECTION_SYSCALL_OPEN));
    sensor.host.deliver(sensor.open(attacker, "/proc/11/mem", O_WRONLY, INJECTION_SYSCALL_OPENAT2));
    REQUIRE(sensor.alerts().size() == 2);
    const auto &thread = sensor.host.alerts()[0];
    CHECK(thread.rule == "injection.proc_mem_write");
    CHECK(thread.evidence_at("syscall") == "open");
    CHECK(thread.evidence_at("access") == "write-only");
    CHECK(thread.evidence_at("target_pid") == "11");
    CHECK(thread.evidence_at("target_tid") == "12");
    CHECK(sensor.host.alerts()[1].evidence_at("syscall") == "openat2");
}

TEST_CASE("memory files that raise nothing")
{
    Sensor sensor;
    sensor.start();
    // The caller's own memory, however it is named.
    sensor.host.deliver(sensor.open(attacker, "/proc/self/mem", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/thread-self/mem", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/10/mem", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/10/task/15/mem", O_RDWR));
    // Reading another process's memory is no injection.
    sensor.host.deliver(sensor.open(attacker, "/proc/11/mem", O_RDONLY));
    // Other files of /proc/<pid>, and look-alikes.
    sensor.host.deliver(sensor.open(attacker, "/proc/11/maps", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/11/mem2", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/11/task/mem", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/proc/x11/mem", O_RDWR));
    sensor.host.deliver(sensor.open(attacker, "/tmp/proc/11/mem", O_RDWR));
    // A path filling the whole field, with no NUL.
    sensor.host.deliver(sensor.open(attacker, std::string(INJECTION_OPEN_PATH_SIZE, 'a'), O_RDWR));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("opening /etc/ld.so.preload for writing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(attacker, "/etc/ld.so.preload", O_WRONLY | O_CREAT | O_APPEND));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ld_so_preload_write");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0003", "TA0004", "TA0005"}));
    CHECK(alert.techniques == strings({"T1574.006"}));
    CHECK(alert.evidence_at("path") == "/etc/ld.so.preload");
    CHECK(alert.evidence_at("access") == "write-only");
    CHECK_FALSE(alert.has_evidence("target_pid"));
    CHECK(alert.dedup_key == "/usr/bin/python3:/etc/ld.so.preload");
}

TEST_CASE("reading /etc/ld.so.preload raises nothing, nor do allowed tracers change that rule")
{
    Sensor sensor;
    sensor.host.set_option("allowed_tracers", strings({"*"}));
    sensor.start();
    sensor.host.deliver(sensor.open(attacker, "/etc/ld.so.preload", O_RDONLY));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.open(attacker, "/etc/ld.so.preload", O_RDWR));
    CHECK(sensor.only_alert().rule == "injection.ld_so_preload_write");
}
