// SPDX-License-Identifier: Apache-2.0
// injection.memfd_exec, injection.shm_exec and injection.ld_preload_env, through the real injection.so.
#include "test_support.hpp"

using namespace injection_test;

TEST_CASE("exec of a memfd")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, INJECTION_EXEC_MEMFD, "memfd:payload", "/dev/fd/3"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.memfd_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0005"}));
    CHECK(alert.techniques == strings({"T1620"}));
    CHECK(alert.evidence_at("memfd_name") == "payload");
    CHECK(alert.evidence_at("exe_name") == "memfd:payload");
    CHECK(alert.evidence_at("filename") == "/dev/fd/3");
    CHECK(alert.evidence_at("filename_truncated") == "false");
    CHECK(alert.dedup_key == "memfd:payload");
    CHECK(alert.event_kind == INJECTION_KIND_EXEC);
}

TEST_CASE("runc re-executing itself from a memfd on the host is allowed by default, and only that name")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(debugger, INJECTION_EXEC_MEMFD, "memfd:runc_cloned:/proc/self/exe", "/dev/fd/5"));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("injection_allowed_findings") == 1);
    sensor.host.deliver(sensor.exec(debugger, INJECTION_EXEC_MEMFD, "memfd:runc_cloned:x", "/dev/fd/5"));
    CHECK(sensor.only_alert().evidence_at("memfd_name") == "runc_cloned:x");
}

TEST_CASE("inside a container, a memfd disguised with the runtime's name still alerts")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, INJECTION_EXEC_MEMFD, "memfd:runc_cloned:/proc/self/exe", "/dev/fd/5"));
    CHECK(sensor.only_alert().rule == "injection.memfd_exec");
}

TEST_CASE("allowed_memfd_names replaces the default")
{
    Sensor sensor;
    sensor.host.set_option_literal("allowed_memfd_names", "[\"jit-*\"]");
    sensor.start();
    sensor.host.deliver(sensor.exec(debugger, INJECTION_EXEC_MEMFD, "memfd:jit-1234", "/dev/fd/3"));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.exec(debugger, INJECTION_EXEC_MEMFD, "memfd:runc_cloned:/proc/self/exe", "/dev/fd/3"));
    CHECK(sensor.only_alert().rule == "injection.memfd_exec");
}

TEST_CASE("exec from /dev/shm")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, INJECTION_EXEC_DEV_SHM, "injector-copy", "/dev/shm/injector-copy"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.shm_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0005"}));
    CHECK(alert.techniques == strings({"T1620"}));
    CHECK(alert.evidence_at("filename") == "/dev/shm/injector-copy");
    CHECK(alert.evidence_at("exe_name") == "injector-copy");
    CHECK(alert.dedup_key == "/dev/shm/injector-copy");
}

TEST_CASE("LD_PRELOAD in the environment of an exec")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "true", "/bin/true", "/tmp/libinject.so"));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "injection.ld_preload_env");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.tactics == strings({"TA0003", "TA0004", "TA0005"}));
    CHECK(alert.techniques == strings({"T1574.006"}));
    CHECK(alert.evidence_at("ld_preload") == "/tmp/libinject.so");
    CHECK(alert.evidence_lists.at("ld_preload_libraries") == strings({"/tmp/libinject.so"}));
    CHECK(alert.evidence_at("ld_preload_truncated") == "false");
    CHECK(alert.evidence_at("ld_preload_repeated") == "false");
    CHECK(alert.evidence_at("filename") == "/bin/true");
    CHECK(alert.dedup_key == "/tmp/libinject.so");
}

TEST_CASE("allowed preload libraries")
{
    Sensor sensor;
    sensor.host.set_option("allowed_preload_libraries", strings({"*/libjemalloc.so*", "libtcmalloc.so.4"}));
    sensor.start();
    sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "java", "/usr/bin/java",
                                    "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"));
    sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "java", "/usr/bin/java",
                                    "libtcmalloc.so.4:/usr/lib/libjemalloc.so.2"));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("injection_allowed_findings") == 2);

    SUBCASE("one library that is not allowed is enough")
    {
        sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "java", "/usr/bin/java",
                                        "/usr/lib/libjemalloc.so.2 /tmp/evil.so"));
        const auto &alert = sensor.only_alert();
        CHECK(alert.evidence_lists.at("ld_preload_libraries") ==
              strings({"/usr/lib/libjemalloc.so.2", "/tmp/evil.so"}));
    }
    SUBCASE("a repeated LD_PRELOAD is never allowed: loaders disagree on which one counts")
    {
        sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD | INJECTION_EXEC_PRELOAD_REPEATED, "java",
                                        "/usr/bin/java", "/usr/lib/libjemalloc.so.2"));
        CHECK(sensor.only_alert().evidence_at("ld_preload_repeated") == "true");
    }
    SUBCASE("nor is a truncated one: it may name more than was seen")
    {
        sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD | INJECTION_EXEC_PRELOAD_TRUNCATED, "java",
                                        "/usr/bin/java", "/usr/lib/libjemalloc.so.2"));
        CHECK(sensor.only_alert().evidence_at("ld_preload_truncated") == "true");
    }
}

TEST_CASE("an LD_PRELOAD that preloads nothing raises nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "true", "/bin/true", ""));
    sensor.host.deliver(sensor.exec(victim, INJECTION_EXEC_LD_PRELOAD, "true", "/bin/true", " : "));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("one exec can break several rules")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, INJECTION_EXEC_MEMFD | INJECTION_EXEC_LD_PRELOAD, "memfd:x", "/dev/fd/4",
                                    "/dev/shm/hook.so"));
    REQUIRE(sensor.alerts().size() == 2);
    CHECK(sensor.host.alerts()[0].rule == "injection.memfd_exec");
    CHECK(sensor.host.alerts()[1].rule == "injection.ld_preload_env");
}

TEST_CASE("an exec record without a finding raises nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.exec(attacker, 0, "bash", "/bin/bash"));
    CHECK(sensor.alerts().empty());
}
