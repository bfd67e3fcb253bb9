// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <array>
#include <cstring>

#include "core/processes/process_table.hpp"

using namespace vigil::processes;

namespace {

constexpr uint32_t host_pid_ns = 4026531836;
constexpr uint32_t container_pid_ns = 4026532500;

vigil_event_header header(uint32_t tgid, uint32_t parent, uint32_t ns_tgid, uint32_t pid_ns, uint64_t cgroup,
                          uint64_t time = 1000)
{
    vigil_event_header result{};
    result.tgid = result.tid = tgid;
    result.parent_tgid = parent;
    result.ns_tgid = ns_tgid;
    result.pid_ns = pid_ns;
    result.cgroup_id = cgroup;
    result.timestamp_ns = time;
    std::strcpy(result.comm, "comm");
    return result;
}

vigil_process_exec exec_event(const vigil_event_header &event_header, const char *filename, std::string_view arguments)
{
    vigil_process_exec event{};
    event.header = event_header;
    event.header.kind = VIGIL_KIND_PROCESS_EXEC;
    event.process_start_ns = event_header.tgid * 10;
    std::strcpy(event.filename, filename);
    event.filename_size = static_cast<uint16_t>(std::strlen(filename) + 1);
    if (!arguments.empty()) {
        std::memcpy(event.args, arguments.data(), arguments.size());
    }
    event.args_size = static_cast<uint16_t>(arguments.size());
    return event;
}

vigil_process_fork fork_event(const vigil_event_header &parent, uint32_t child, uint32_t child_ns)
{
    vigil_process_fork event{};
    event.header = parent;
    event.child_tgid = child;
    event.child_ns_tgid = child_ns;
    event.child_start_ns = child * 10;
    return event;
}

} // namespace

TEST_CASE("process table: exec records the path and arguments, fork inherits them")
{
    ProcessTable table(1024, 1'000'000);
    table.on_exec(
        exec_event(header(100, 1, 100, host_pid_ns, 5), "/bin/sh", std::string_view("sh\0-c\0echo hi\0", 15)));
    const auto *shell = table.find(100);
    REQUIRE(shell != nullptr);
    CHECK(shell->exe == "/bin/sh");
    CHECK(shell->cmdline == "sh -c echo hi");

    table.on_fork(fork_event(header(100, 1, 100, host_pid_ns, 5), 101, 101));
    const auto *child = table.find(101);
    REQUIRE(child != nullptr);
    CHECK(child->exe == "/bin/sh");
    CHECK(child->parent_tgid == 100);
    CHECK(std::string(child->view()->cmdline) == "sh -c echo hi");
}

TEST_CASE("process table: a process adopted by a reaper keeps its creator as parent")
{
    ProcessTable table(1024, 1'000'000);
    // sh (200) forks a subshell (201), which forks nc (202) and exits at once: by the
    // time nc execs, the kernel names the container's pid 1 (199) as its parent.
    table.on_exec(exec_event(header(199, 50, 1, container_pid_ns, 9), "/bin/sleep", {}));
    table.on_exec(exec_event(header(200, 50, 2, container_pid_ns, 9), "/bin/sh", {}));
    table.on_fork(fork_event(header(200, 50, 2, container_pid_ns, 9), 201, 3));
    table.on_fork(fork_event(header(201, 200, 3, container_pid_ns, 9), 202, 4));
    table.on_exec(exec_event(header(202, 199, 4, container_pid_ns, 9), "/bin/nc", {}));
    REQUIRE(table.find(202) != nullptr);
    CHECK(table.find(202)->parent_tgid == 201);
    table.observe(header(202, 199, 4, container_pid_ns, 9));
    CHECK(table.find(202)->parent_tgid == 201);

    // A pid used again by another process: its parent is what the kernel says.
    auto reused = exec_event(header(202, 199, 5, container_pid_ns, 9), "/bin/true", {});
    reused.process_start_ns = 10'000'000'000;
    table.on_exec(reused);
    CHECK(table.find(202)->parent_tgid == 199);
}

TEST_CASE("process table: ancestry ends at the container's entry point")
{
    ProcessTable table(1024, 1'000'000);
    // runc (host) -> sh (container pid 1) -> sh -> injector
    table.on_exec(exec_event(header(50, 1, 50, host_pid_ns, 2), "/usr/sbin/runc", {}));
    table.on_exec(exec_event(header(60, 50, 1, container_pid_ns, 9), "/bin/sh", {}));
    table.on_exec(exec_event(header(61, 60, 2, container_pid_ns, 9), "/bin/sh", {}));
    table.on_exec(exec_event(header(62, 61, 3, container_pid_ns, 9), "/injector", {}));

    std::array<const ProcessEntry *, 16> ancestors{};
    auto count = table.ancestry(62, true, ancestors);
    REQUIRE(count == 2);
    CHECK(ancestors[0]->tgid == 61);
    CHECK(ancestors[1]->tgid == 60); // pid 1 of the container: included, and nothing above it
}

TEST_CASE("process table: ancestry of a process exec'd into a container stops at the cgroup boundary")
{
    ProcessTable table(1024, 1'000'000);
    // runc exec: its child joins the container's cgroup but keeps runc (host cgroup) as parent.
    table.on_exec(exec_event(header(70, 1, 70, host_pid_ns, 2), "/usr/sbin/runc", {}));
    table.on_exec(exec_event(header(71, 70, 71, host_pid_ns, 9), "/bin/sh", {}));
    table.on_exec(exec_event(header(72, 71, 72, host_pid_ns, 9), "/injector", {}));
    std::array<const ProcessEntry *, 16> ancestors{};
    auto count = table.ancestry(72, true, ancestors);
    REQUIRE(count == 1);
    CHECK(ancestors[0]->exe == "/bin/sh");

    // A host process's ancestry goes on up to pid 1.
    CHECK(table.ancestry(72, false, ancestors) == 2);
}

TEST_CASE("process table: a target named by its namespace pid is found")
{
    ProcessTable table(1024, 1'000'000);
    table.on_exec(exec_event(header(80, 1, 7, container_pid_ns, 9), "/target", {}));
    table.on_exec(exec_event(header(81, 1, 7, host_pid_ns + 1, 9), "/other", {}));
    const auto *found = table.find_in_namespace(container_pid_ns, 7);
    REQUIRE(found != nullptr);
    CHECK(found->tgid == 80);
    CHECK(table.find_in_namespace(container_pid_ns, 8) == nullptr);
}

TEST_CASE("process table: exited processes stay for the grace period, then go")
{
    ProcessTable table(1024, 500);
    table.on_exec(exec_event(header(90, 1, 90, host_pid_ns, 2, 100), "/bin/true", {}));
    vigil_process_exit exit{};
    exit.header = header(90, 1, 90, host_pid_ns, 2, 1000);
    exit.process_start_ns = 900;
    table.on_exit(exit);
    REQUIRE(table.find(90) != nullptr);
    CHECK(table.find(90)->exited);
    table.expire(1400);
    CHECK(table.find(90) != nullptr);
    table.expire(1600);
    CHECK(table.find(90) == nullptr);
}

TEST_CASE("process table: it never grows past its capacity, and exited processes go first")
{
    ProcessTable table(64, 1'000'000'000);
    for (uint32_t tgid = 1000; tgid < 1032; ++tgid) {
        table.on_exec(exec_event(header(tgid, 1, tgid, host_pid_ns, 2, tgid), "/bin/live", {}));
    }
    for (uint32_t tgid = 2000; tgid < 2032; ++tgid) {
        table.on_exec(exec_event(header(tgid, 1, tgid, host_pid_ns, 2, tgid), "/bin/gone", {}));
        vigil_process_exit exit{};
        exit.header = header(tgid, 1, tgid, host_pid_ns, 2, tgid);
        exit.process_start_ns = tgid * 10;
        table.on_exit(exit);
    }
    for (uint32_t tgid = 3000; tgid < 3100; ++tgid) {
        table.observe(header(tgid, 1, tgid, host_pid_ns, 2, 5000 + tgid));
        CHECK(table.size() <= 64);
    }
    CHECK(table.evictions() > 0);
    CHECK(table.find(1000) == nullptr); // the oldest live ones went after every exited one
    CHECK(table.find(3099) != nullptr);
}

TEST_CASE("process table: a process first seen in a plugin event is known by its comm")
{
    ProcessTable table(1024, 1'000'000);
    auto &entry = table.observe(header(123, 1, 123, host_pid_ns, 2));
    CHECK(entry.exe == "comm");
    CHECK(table.find(123)->cgroup_id == 2);
}
