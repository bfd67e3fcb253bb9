// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/processes/proc_reader.hpp"

using namespace vigil::processes;
namespace fs = std::filesystem;

namespace {

void write(const fs::path &path, std::string_view content)
{
    std::ofstream(path, std::ios::binary) << content;
}

// A fake /proc with one user process (42) and one kernel thread (2).
fs::path make_fake_proc()
{
    auto root = fs::temp_directory_path() / ("vigil-proc-" + std::to_string(getpid()));
    fs::remove_all(root);
    auto process = root / "42";
    fs::create_directories(process / "ns");
    fs::create_symlink("/usr/bin/python3.11", process / "exe");
    write(process / "stat", "42 (my (odd) comm) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 250 1 1");
    write(process / "status", "Name:\tcomm\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\n"
                              "NStgid:\t42\t3\nNSpid:\t42\t3\n");
    write(process / "cmdline", std::string_view("python3\0-m\0http.server\0", 24));
    write(process / "cgroup", "12:memory:/kubepods/x\n0::/kubepods/burstable/podabc/0123\n");
    fs::create_symlink("mnt:[4026532001]", process / "ns" / "mnt");
    fs::create_symlink("pid:[4026532002]", process / "ns" / "pid");
    fs::create_symlink("net:[4026532003]", process / "ns" / "net");
    fs::create_directories(root / "2");
    write(root / "2" / "stat", "2 (kthreadd) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0");
    fs::create_directories(root / "self");
    return root;
}

} // namespace

TEST_CASE("proc reader: a process is read from its /proc files, kernel threads skipped")
{
    auto root = make_fake_proc();
    ProcessEntry entry;
    std::string cgroup;
    REQUIRE(read_proc_process(root.string(), 42, entry, cgroup));
    CHECK(entry.tgid == 42);
    CHECK(entry.parent_tgid == 7);
    CHECK(entry.ns_tgid == 3);
    CHECK(entry.uid == 1000);
    CHECK(entry.gid == 100);
    CHECK(entry.exe == "/usr/bin/python3.11");
    CHECK(entry.cmdline == "python3 -m http.server");
    CHECK(entry.mnt_ns == 4026532001u);
    CHECK(entry.pid_ns == 4026532002u);
    CHECK(entry.net_ns == 4026532003u);
    CHECK(entry.start_ns == 250 * (1'000'000'000ULL / static_cast<uint64_t>(sysconf(_SC_CLK_TCK))));
    CHECK(cgroup == "/kubepods/burstable/podabc/0123");

    CHECK_FALSE(read_proc_process(root.string(), 2, entry, cgroup));

    ProcessTable table(64, 1000);
    auto seeded = seed_from_proc(table, root.string(), [](std::string_view path) {
        return path == "/kubepods/burstable/podabc/0123" ? uint64_t{77} : uint64_t{0};
    });
    CHECK(seeded == 1);
    REQUIRE(table.find(42) != nullptr);
    CHECK(table.find(42)->cgroup_id == 77);
    fs::remove_all(root);
}

TEST_CASE("proc reader: namespace links and argument lists parse defensively")
{
    CHECK(namespace_inode("mnt:[4026531841]") == 4026531841u);
    CHECK(namespace_inode("garbage") == 0);
    CHECK(namespace_inode("mnt:]1[") == 0);
    std::string joined;
    join_arguments(std::string_view("a\0b c\0\0", 7), joined);
    CHECK(joined == "a b c");
    join_arguments({}, joined);
    CHECK(joined.empty());
}

TEST_CASE("proc reader: the real /proc has this very process")
{
    ProcessEntry entry;
    std::string cgroup;
    REQUIRE(read_proc_process("/proc", static_cast<uint32_t>(getpid()), entry, cgroup));
    CHECK(entry.exe.find("vigil_unit_tests") != std::string::npos);
    CHECK(entry.mnt_ns != 0);
}

TEST_CASE("proc reader: a process whose exec was not seen yet is filled in from /proc")
{
    auto root = make_fake_proc();
    vigil_event_header header{};
    std::memcpy(header.comm, "python3.11", 10);
    CHECK(exe_matches_comm("/usr/bin/python3.11", header));
    CHECK_FALSE(exe_matches_comm("/bin/sh", header));    // the parent's program, inherited at fork
    CHECK_FALSE(exe_matches_comm("python3", header));    // a thread name of another program
    CHECK_FALSE(exe_matches_comm("python3.11", header)); // its own thread name: still not its program
    std::memcpy(header.comm, "a-very-long-nam", 15);     // comm is cut at 15 characters
    CHECK(exe_matches_comm("/opt/bin/a-very-long-name-indeed", header));

    ProcessEntry entry;
    entry.tgid = 42;
    entry.exe = "sh";
    CHECK(refresh_program_from_proc(root.string(), entry));
    CHECK(entry.exe == "/usr/bin/python3.11");
    CHECK(entry.cmdline == "python3 -m http.server");
    entry.tgid = 4242; // gone: nothing changes
    CHECK_FALSE(refresh_program_from_proc(root.string(), entry));
    CHECK(entry.exe == "/usr/bin/python3.11");
    fs::remove_all(root);
}
