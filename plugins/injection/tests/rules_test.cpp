// SPDX-License-Identifier: Apache-2.0
// The rule logic on its own: pure functions, no plugin loaded.
#include <doctest/doctest.h>

#include "allowlist.hpp"
#include "injection_events.h"
#include "paths.hpp"
#include "ptrace_requests.hpp"
#include "rules.hpp"

using namespace vigil_injection;

TEST_CASE("the rule table matches the documented rules")
{
    struct Expected {
        const char *id;
        vigil_severity severity;
        vigil_severity failed;
        std::size_t tactics;
        const char *technique;
    };
    const Expected expected[] = {
        {"injection.ptrace_attach", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_MEDIUM, 2, "T1055.008"},
        {"injection.ptrace_write", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_MEDIUM, 2, "T1055.008"},
        {"injection.process_vm_writev", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_MEDIUM, 2, "T1055"},
        {"injection.proc_mem_write", VIGIL_SEVERITY_CRITICAL, VIGIL_SEVERITY_CRITICAL, 2, "T1055.009"},
        {"injection.memfd_exec", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH, 1, "T1620"},
        {"injection.shm_exec", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH, 1, "T1620"},
        {"injection.ld_preload_env", VIGIL_SEVERITY_MEDIUM, VIGIL_SEVERITY_MEDIUM, 3, "T1574.006"},
        {"injection.ld_so_preload_write", VIGIL_SEVERITY_HIGH, VIGIL_SEVERITY_HIGH, 3, "T1574.006"},
    };
    REQUIRE(rule_table.all().size() == std::size(expected));
    for (std::size_t index = 0; index < std::size(expected); ++index) {
        const auto &info = rule_table.all()[index];
        CAPTURE(info.id);
        CHECK(std::string_view(info.id) == expected[index].id);
        CHECK(info.severity == expected[index].severity);
        CHECK(info.failed_severity == expected[index].failed);
        CHECK(info.tactics.size() == expected[index].tactics);
        REQUIRE(info.techniques.size() == 1);
        CHECK(std::string_view(info.techniques[0].id) == expected[index].technique);
        CHECK(rule_table.find(info.id) == info.rule);
        CHECK(&rule_table.at(info.rule) == &info);
    }
    CHECK_FALSE(rule_table.find("injection.nothing"));
}

TEST_CASE("ptrace requests")
{
    CHECK(classify_ptrace_request(INJECTION_PTRACE_ATTACH) == PtraceAction::attach);
    CHECK(classify_ptrace_request(INJECTION_PTRACE_SEIZE) == PtraceAction::attach);
    for (int64_t request : {INJECTION_PTRACE_POKETEXT, INJECTION_PTRACE_POKEDATA, INJECTION_PTRACE_POKEUSER,
                            INJECTION_PTRACE_SETREGS, INJECTION_PTRACE_SETFPREGS, INJECTION_PTRACE_SETREGSET}) {
        CAPTURE(request);
        CHECK(classify_ptrace_request(request) == PtraceAction::write);
        CHECK(ptrace_request_name(request) != nullptr);
    }
    CHECK(classify_ptrace_request(0) == PtraceAction::other);  // TRACEME
    CHECK(classify_ptrace_request(1) == PtraceAction::other);  // PEEKTEXT
    CHECK(classify_ptrace_request(12) == PtraceAction::other); // GETREGS
    CHECK(std::string_view(ptrace_request_name(INJECTION_PTRACE_SEIZE)) == "PTRACE_SEIZE");
    CHECK(std::string_view(ptrace_request_name(INJECTION_PTRACE_POKEUSER)) == "PTRACE_POKEUSER");
    CHECK(ptrace_request_name(0x7777) == nullptr);
}

TEST_CASE("memory file paths")
{
    auto plain = parse_proc_mem_path("/proc/42/mem");
    REQUIRE(plain);
    CHECK(plain->pid == 42);
    CHECK_FALSE(plain->tid);

    auto thread = parse_proc_mem_path("/proc/42/task/43/mem");
    REQUIRE(thread);
    CHECK(thread->pid == 42);
    CHECK(thread->tid == 43u);

    CHECK(parse_proc_mem_path("/proc/4294967295/mem")->pid == 4294967295u);
    for (const char *other : {"/proc/self/mem", "/proc/thread-self/mem", "/proc/42/maps", "/proc/42/mem/",
                              "/proc//42/mem", "/proc/42", "/proc/042/mem", "/proc/4294967296/mem", "/proc/42/task/mem",
                              "/proc/42/task/x/mem", "proc/42/mem", "", "/proc/-1/mem"}) {
        CAPTURE(other);
        CHECK_FALSE(parse_proc_mem_path(other));
    }
}

TEST_CASE("open flags, ld.so.preload and memfd names")
{
    CHECK_FALSE(opens_for_writing(0));            // O_RDONLY
    CHECK_FALSE(opens_for_writing(0100 | 01000)); // O_CREAT | O_TRUNC without write access
    CHECK(opens_for_writing(1));
    CHECK(opens_for_writing(2 | 02000000));
    CHECK(std::string_view(access_text(1)) == "write-only");
    CHECK(std::string_view(access_text(2)) == "read-write");
    CHECK(is_ld_so_preload_path("/etc/ld.so.preload"));
    CHECK_FALSE(is_ld_so_preload_path("/etc/ld.so.preload.bak"));
    CHECK(memfd_name("memfd:x") == std::string_view("x"));
    CHECK(memfd_name("memfd:") == std::string_view(""));
    CHECK_FALSE(memfd_name("bash"));

    const char field[4] = {'a', 'b', 'c', 'd'}; // no NUL: the whole field
    CHECK(field_text(field) == "abcd");
    const char short_field[8] = "ab";
    CHECK(field_text(short_field) == "ab");
}

TEST_CASE("glob lists and LD_PRELOAD values")
{
    GlobList globs({"/usr/bin/gdb", "*/libjemalloc.so*"});
    CHECK(globs.matches("/usr/bin/gdb"));
    CHECK_FALSE(globs.matches("/usr/bin/gdb-evil"));
    CHECK(globs.matches("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"));
    CHECK_FALSE(GlobList().matches("anything"));

    CHECK(preload_libraries("a.so b.so:c.so") == std::vector<std::string>{"a.so", "b.so", "c.so"});
    CHECK(preload_libraries("  :: ").empty());
    CHECK(preload_allowed("/lib/libjemalloc.so.2", globs));
    CHECK_FALSE(preload_allowed("/lib/libjemalloc.so.2:/tmp/x.so", globs));
    CHECK_FALSE(preload_allowed("", globs)); // nothing to allow
}

TEST_CASE("judgements")
{
    Policy policy;
    Caller caller{.ns_tgid = 10, .exe = "/usr/bin/python3"};

    auto attach = judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 11}, caller, policy);
    REQUIRE(attach);
    CHECK(attach->rule == Rule::ptrace_attach);
    CHECK(attach->disposition == Disposition::alert);
    CHECK(judge_ptrace({INJECTION_PTRACE_ATTACH, -1, 11}, caller, policy)->severity == VIGIL_SEVERITY_MEDIUM);
    CHECK_FALSE(judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 10}, caller, policy)); // itself
    CHECK_FALSE(judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 0}, caller, policy));  // nobody

    CHECK(judge_vm_writev({8, 11}, caller, policy)->severity == VIGIL_SEVERITY_CRITICAL);
    CHECK_FALSE(judge_vm_writev({8, 10}, caller, policy));

    CHECK(judge_open({2, "/proc/11/mem"}, caller, policy)->rule == Rule::proc_mem_write);
    CHECK_FALSE(judge_open({0, "/proc/11/mem"}, caller, policy));
    CHECK(judge_open({1, "/etc/ld.so.preload"}, caller, policy)->rule == Rule::ld_so_preload_write);

    policy.allowed_tracers = GlobList({"/usr/bin/python3"});
    CHECK(judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 11}, caller, policy)->disposition == Disposition::allowed);
    Caller unknown{.ns_tgid = 10, .exe = ""};
    CHECK(judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 11}, unknown, policy)->disposition == Disposition::alert);

    policy.switches.disable(Rule::ptrace_attach);
    CHECK(judge_ptrace({INJECTION_PTRACE_ATTACH, 0, 11}, caller, policy)->disposition == Disposition::disabled);

    auto exec = judge_exec({INJECTION_EXEC_MEMFD | INJECTION_EXEC_DEV_SHM | INJECTION_EXEC_LD_PRELOAD, "memfd:x",
                            "/dev/shm/x", "/tmp/a.so"},
                           policy);
    REQUIRE(exec.count == 3);
    CHECK(exec.items[0].rule == Rule::memfd_exec);
    CHECK(exec.items[1].rule == Rule::shm_exec);
    CHECK(exec.items[2].rule == Rule::ld_preload_env);
    CHECK(judge_exec({INJECTION_EXEC_LD_PRELOAD, "true", "/bin/true", ""}, policy).count == 0);
    CHECK(judge_exec({INJECTION_EXEC_LD_PRELOAD | INJECTION_EXEC_PRELOAD_REPEATED, "true", "/bin/true", ""}, policy)
              .count == 1);
}
