// SPDX-License-Identifier: Apache-2.0
// injection.ptrace_attach, injection.ptrace_write, injection.process_vm_writev,
// through the real injection.so.
#include "test_support.hpp"

using namespace injection_test;

TEST_CASE("ptrace attach to another process")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, victim_ns_pid));

    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ptrace_attach");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0005", "TA0004"}));
    CHECK(alert.techniques == strings({"T1055.008"}));
    CHECK(alert.has_event);
    CHECK(alert.event_kind == INJECTION_KIND_PTRACE);
    CHECK(alert.event_tgid == attacker);
    CHECK(alert.evidence_at("syscall") == "ptrace");
    CHECK(alert.evidence_at("request") == "PTRACE_ATTACH");
    CHECK(alert.evidence_at("request_number") == "16");
    CHECK(alert.evidence_at("target_pid") == "11");
    CHECK(alert.evidence_at("target_global_pid") == "1001");
    CHECK(alert.evidence_at("target_exe") == "/usr/sbin/nginx");
    CHECK(alert.evidence_at("return_value") == "0");
    CHECK(alert.evidence_at("succeeded") == "true");
    CHECK_FALSE(alert.has_evidence("address"));
    CHECK(alert.dedup_key == "1000->11");
    CHECK(alert.summary.find("/usr/bin/python3 attached to process 11 (/usr/sbin/nginx)") != std::string::npos);
}

TEST_CASE("PTRACE_SEIZE is an attach too")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_SEIZE, victim_ns_pid));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ptrace_attach");
    CHECK(alert.evidence_at("request") == "PTRACE_SEIZE");
}

TEST_CASE("a failed attach is reported at medium severity")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, victim_ns_pid, -1 /* EPERM */));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ptrace_attach");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.evidence_at("return_value") == "-1");
    CHECK(alert.evidence_at("succeeded") == "false");
    CHECK(alert.summary.find("failed") != std::string::npos);
}

TEST_CASE("every ptrace write request is injection.ptrace_write")
{
    const std::pair<int64_t, const char *> requests[] = {
        {INJECTION_PTRACE_POKETEXT, "PTRACE_POKETEXT"},   {INJECTION_PTRACE_POKEDATA, "PTRACE_POKEDATA"},
        {INJECTION_PTRACE_POKEUSER, "PTRACE_POKEUSER"},   {INJECTION_PTRACE_SETREGS, "PTRACE_SETREGS"},
        {INJECTION_PTRACE_SETFPREGS, "PTRACE_SETFPREGS"}, {INJECTION_PTRACE_SETREGSET, "PTRACE_SETREGSET"},
    };
    for (const auto &entry : requests) {
        const int64_t request = entry.first;
        const char *name = entry.second;
        CAPTURE(name);
        Sensor sensor;
        sensor.start();
        sensor.host.deliver(sensor.ptrace(attacker, request, victim_ns_pid, 0, 0x4a90d0));
        const auto &alert = sensor.only_alert();
        CHECK(alert.rule == "injection.ptrace_write");
        CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
        CHECK(alert.techniques == strings({"T1055.008"}));
        CHECK(alert.evidence_at("request") == name);
        CHECK(alert.evidence_at("address") == std::to_string(0x4a90d0));
        CHECK(alert.evidence_at("target_exe") == "/usr/sbin/nginx");
        CHECK(alert.dedup_key == "1000->11");
    }
}

TEST_CASE("a failed ptrace write is medium")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_POKEDATA, victim_ns_pid, -3 /* ESRCH */));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ptrace_write");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
}

TEST_CASE("ptrace that is no injection raises nothing")
{
    Sensor sensor;
    sensor.start();
    // Its own pid, as its namespace numbers it.
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, attacker_ns_pid));
    // Requests of a debugger already attached: reading, continuing, detaching.
    sensor.host.deliver(sensor.ptrace(attacker, 2 /* PEEKDATA */, victim_ns_pid));
    sensor.host.deliver(sensor.ptrace(attacker, 7 /* CONT */, victim_ns_pid));
    sensor.host.deliver(sensor.ptrace(attacker, 17 /* DETACH */, victim_ns_pid));
    // PTRACE_TRACEME names no target.
    sensor.host.deliver(sensor.ptrace(attacker, 0 /* TRACEME */, 0));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("an allowed tracer raises nothing, and is counted")
{
    Sensor sensor;
    sensor.host.set_option("allowed_tracers", strings({"/usr/bin/gdb*", "/opt/tools/*"}));
    sensor.start();
    sensor.host.deliver(sensor.ptrace(debugger, INJECTION_PTRACE_ATTACH, debuggee));
    sensor.host.deliver(sensor.ptrace(debugger, INJECTION_PTRACE_POKETEXT, debuggee));
    sensor.host.deliver(sensor.vm_writev(debugger, debuggee, 8));
    sensor.host.deliver(sensor.open(debugger, "/proc/2001/mem", 02 /* O_RDWR */));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("injection_allowed_findings") == 4);

    // The allow list names the tracer, not whoever happens to trace.
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, victim_ns_pid));
    CHECK(sensor.only_alert().rule == "injection.ptrace_attach");
}

TEST_CASE("a target the sensor does not know is still reported, by its pid")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, 4242));
    const auto &alert = sensor.only_alert();
    CHECK(alert.evidence_at("target_pid") == "4242");
    CHECK_FALSE(alert.has_evidence("target_global_pid"));
    CHECK_FALSE(alert.has_evidence("target_exe"));
}

TEST_CASE("a caller the sensor does not know is named by its comm")
{
    Sensor sensor;
    sensor.start();
    auto record = sensor.ptrace(3333, INJECTION_PTRACE_ATTACH, 77);
    std::memcpy(record.header.comm, "implant", 8);
    sensor.host.deliver(record);
    const auto &alert = sensor.only_alert();
    CHECK(alert.summary.rfind("implant attached to process 77", 0) == 0);
    CHECK(alert.dedup_key == "3333->77");
}

TEST_CASE("disabled_rules switches single rules off")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules", strings({"injection.ptrace_attach"}));
    sensor.start();
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, victim_ns_pid));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_POKETEXT, victim_ns_pid));
    CHECK(sensor.only_alert().rule == "injection.ptrace_write");
    CHECK(sensor.host.metric("injection_allowed_findings") == 0);
}

TEST_CASE("process_vm_writev into another process")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.vm_writev(attacker, victim_ns_pid, 8));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.process_vm_writev");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.tactics == strings({"TA0005", "TA0004"}));
    CHECK(alert.techniques == strings({"T1055"}));
    CHECK(alert.evidence_at("syscall") == "process_vm_writev");
    CHECK(alert.evidence_at("return_value") == "8");
    CHECK(alert.evidence_at("succeeded") == "true");
    CHECK(alert.evidence_at("target_pid") == "11");
    CHECK(alert.evidence_at("target_global_pid") == "1001");
    CHECK(alert.evidence_at("target_exe") == "/usr/sbin/nginx");
    CHECK(alert.evidence_at("remote_address") == std::to_string(0x4a90d0));
    CHECK(alert.evidence_at("remote_length") == "8");
    CHECK(alert.evidence_at("remote_iov_count") == "1");
    CHECK(alert.evidence_at("local_iov_count") == "1");
    CHECK(alert.dedup_key == "1000->11");
    CHECK(alert.summary.find("wrote 8 bytes into the memory of process 11") != std::string::npos);
}

TEST_CASE("process_vm_writev: failed is medium, into itself is nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.vm_writev(attacker, attacker_ns_pid, 8));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.vm_writev(attacker, victim_ns_pid, -14 /* EFAULT */));
    const auto &alert = sensor.only_alert();
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.evidence_at("succeeded") == "false");
}

TEST_CASE("containers_only leaves host processes alone")
{
    Sensor sensor;
    sensor.host.set_option("containers_only", true);
    sensor.start();
    sensor.host.deliver(sensor.ptrace(debugger, INJECTION_PTRACE_ATTACH, debuggee));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.ptrace(attacker, INJECTION_PTRACE_ATTACH, victim_ns_pid));
    CHECK(sensor.only_alert().rule == "injection.ptrace_attach");
}

TEST_CASE("by default host processes are watched too")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.ptrace(debugger, INJECTION_PTRACE_ATTACH, debuggee));
    const auto &alert = sensor.only_alert();
    CHECK(alert.evidence_at("target_exe") == "/opt/app/server");
    CHECK(alert.evidence_at("target_global_pid") == "2001");
}
