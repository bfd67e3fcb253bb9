// SPDX-License-Identifier: Apache-2.0
// escape.kernel_module_load and escape.bpf_program_load, through the real escape.so.
#include <fcntl.h>

#include "test_support.hpp"

using namespace escape_test;

TEST_CASE("a module load attempt waits for its outcome and reports both")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_FINIT_MODULE, ESCAPE_PHASE_ENTER, 0, "rootkit.ko"));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_FINIT_MODULE, ESCAPE_PHASE_EXIT, -1));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.kernel_module_load");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH); // refused
    CHECK(alert.tactics == strings({"TA0003", "TA0004"}));
    CHECK(alert.techniques == strings({"T1547.006", "T1611"}));
    CHECK(alert.evidence_at("module_file") == "rootkit.ko");
    CHECK(alert.evidence_at("return_value") == "-1");
    CHECK(alert.evidence_lists.at("syscall_sequence") == strings({"finit_module() = -1"}));
    CHECK(alert.has_event);
}

TEST_CASE("a successful module load is critical")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_INIT_MODULE, ESCAPE_PHASE_ENTER, 0));
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_INIT_MODULE, ESCAPE_PHASE_EXIT, 0));
    CHECK(sensor.only_alert().severity == VIGIL_SEVERITY_CRITICAL);
}

TEST_CASE("an attempt whose call never returns is reported without an outcome")
{
    Sensor sensor;
    sensor.start();
    sensor.host.set_now(5'000'000'000);
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_INIT_MODULE, ESCAPE_PHASE_ENTER, 0));
    sensor.host.tick(6'000'000'000);
    CHECK(sensor.alerts().empty());
    sensor.host.tick(7'500'000'000);
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.kernel_module_load");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.evidence_at("outcome_known") == "false");
    CHECK_FALSE(alert.has_event);
    CHECK(alert.subject_tgid == attacker);
}

TEST_CASE("where only the entry is hooked, the attempt is reported at once")
{
    Sensor sensor;
    sensor.start();
    auto record = sensor.kernel_load(attacker, ESCAPE_SYSCALL_INIT_MODULE, ESCAPE_PHASE_ENTER, 0);
    record.record_flags |= ESCAPE_FLAG_NO_EXIT;
    sensor.host.deliver(record);
    const auto &alert = sensor.only_alert();
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL); // a kernel that loads modules: it may have worked
    CHECK(alert.evidence_at("outcome_known") == "false");
    CHECK(alert.evidence_at("kernel_loads_modules") == "true");
    CHECK(alert.has_event);
}

TEST_CASE("on a kernel without module support an unseen outcome is a failure")
{
    Sensor sensor;
    sensor.proc.set_module_support(false);
    sensor.start();
    auto record = sensor.kernel_load(attacker, ESCAPE_SYSCALL_FINIT_MODULE, ESCAPE_PHASE_ENTER, 0, "rootkit.ko");
    record.record_flags |= ESCAPE_FLAG_NO_EXIT;
    sensor.host.deliver(record);
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.kernel_module_load");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_at("kernel_loads_modules") == "false");
    CHECK(alert.summary.find("without module support") != std::string::npos);
}

TEST_CASE("a kernel without module support gets no module-load program, unless asked")
{
    const std::vector<std::string> module_programs = {"escape.finit_module_enter", "escape.finit_module_exit",
                                                      "escape.init_module_enter", "escape.init_module_exit",
                                                      "escape.module_enter_raw"};
    auto skipped = [](const vigil::testing::FakeHost &host) {
        std::vector<std::string> names;
        for (const auto &[name, reason] : host.skipped_programs()) {
            CHECK(reason.find("cannot load modules") != std::string::npos);
            names.push_back(name);
        }
        return names;
    };
    SUBCASE("modules: every program stays")
    {
        Sensor sensor;
        sensor.start();
        REQUIRE(sensor.host.configure_bpf() == 0);
        CHECK(skipped(sensor.host).empty());
        // The core's dispatcher runs the open stage for write-opens and /proc paths only.
        CHECK(sensor.host.constant<bool>("escape", "vigil_open_filtered") == true);
        CHECK(sensor.host.constant<uint64_t>("escape", "vigil_open_flags") == uint64_t{O_WRONLY | O_RDWR});
        CHECK(sensor.host.constant<uint32_t>("escape", "vigil_open_head_count") == 1u);
        auto heads = sensor.host.constants().at("escape.vigil_open_heads");
        CHECK(std::string(reinterpret_cast<const char *>(heads.data()), 6) == "/proc/");
    }
    SUBCASE("no modules: none of the five, not even the one on every syscall")
    {
        Sensor sensor;
        sensor.proc.set_module_support(false);
        sensor.start();
        REQUIRE(sensor.host.configure_bpf() == 0);
        CHECK(skipped(sensor.host) == module_programs);
    }
    SUBCASE("no modules, and module_attempts_on_every_syscall")
    {
        Sensor sensor;
        sensor.proc.set_module_support(false);
        sensor.host.set_option("module_attempts_on_every_syscall", true);
        sensor.start();
        REQUIRE(sensor.host.configure_bpf() == 0);
        CHECK(skipped(sensor.host).empty());
    }
}

TEST_CASE("a BPF program load from a container, and the allow list")
{
    Sensor sensor;
    sensor.host.set_option_literal("allowed_bpf_executables", "[\"/usr/bin/agent\"]");
    sensor.start();
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_BPF, ESCAPE_PHASE_ENTER, 0, "probe"));
    sensor.host.deliver(sensor.kernel_load(attacker, ESCAPE_SYSCALL_BPF, ESCAPE_PHASE_EXIT, 5));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "escape.bpf_program_load");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_at("program_name") == "probe");
    CHECK(alert.techniques == strings({"T1611"}));
    sensor.host.clear_alerts();

    sensor.add(1001, 11, container_cgroup, container_mnt_ns, container_pid_ns, "/usr/bin/agent");
    sensor.host.deliver(sensor.kernel_load(1001, ESCAPE_SYSCALL_BPF, ESCAPE_PHASE_ENTER, 0));
    sensor.host.deliver(sensor.kernel_load(1001, ESCAPE_SYSCALL_BPF, ESCAPE_PHASE_EXIT, 5));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("escape_allowed_findings") == 1);
}

TEST_CASE("kernel loads by host processes raise nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.kernel_load(host_admin, ESCAPE_SYSCALL_FINIT_MODULE, ESCAPE_PHASE_ENTER, 0));
    sensor.host.deliver(sensor.kernel_load(host_admin, ESCAPE_SYSCALL_FINIT_MODULE, ESCAPE_PHASE_EXIT, 0));
    sensor.host.tick(100'000'000'000);
    CHECK(sensor.alerts().empty());
}
