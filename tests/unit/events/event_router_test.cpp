// SPDX-License-Identifier: Apache-2.0
// The event router without a kernel: records are built here, the core ring's
// catch-up and /proc are fakes, and the dispatch is a recorder. What each test
// checks is what a detector would see: which process a record is attributed
// to, and that nothing malformed reaches anyone.
#include "core/events/event_router.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace vigil;
using namespace vigil::events;

namespace {

const char *missing_mount = "/nonexistent/vigil-cgroup-mount";
const std::string container_path =
    "/kubepods.slice/kubepods-besteffort.slice/"
    "kubepods-besteffort-pod1234abcd_0000_1111_2222_333344445555.slice/"
    "cri-containerd-a3a5e715f0cc574a73c3f9bebb6bc24f32ffd5b67b387244c2c909da779a1478.scope";
constexpr uint16_t plugin_kind = VIGIL_KIND_PLUGIN_BASE + 1;

vigil_event_header header(uint16_t kind, uint32_t tgid, const char *comm, uint32_t size)
{
    vigil_event_header result{};
    result.size = size;
    result.kind = kind;
    result.tgid = result.tid = tgid;
    result.ns_tgid = tgid;
    std::strncpy(result.comm, comm, sizeof(result.comm) - 1);
    return result;
}

vigil_process_exec exec_record(uint32_t tgid, const char *comm, const char *filename)
{
    vigil_process_exec record{};
    record.header = header(VIGIL_KIND_PROCESS_EXEC, tgid, comm, sizeof(record));
    record.process_start_ns = tgid * 10;
    std::strcpy(record.filename, filename);
    record.filename_size = static_cast<uint16_t>(std::strlen(filename) + 1);
    return record;
}

vigil_cgroup_change cgroup_record(uint16_t kind, uint64_t cgroup_id, const std::string &path)
{
    vigil_cgroup_change record{};
    record.header = header(kind, 1, "runc", sizeof(record));
    record.cgroup_id = cgroup_id;
    std::memcpy(record.path, path.c_str(), path.size() + 1);
    record.path_size = static_cast<uint32_t>(path.size() + 1);
    return record;
}

// A plugin's record: the header and a payload of its own.
struct PluginRecord {
    vigil_event_header header;
    uint64_t payload = 0;
};

PluginRecord plugin_record(uint32_t tgid, const char *comm, uint64_t cgroup_id = 0)
{
    PluginRecord record{};
    record.header = header(plugin_kind, tgid, comm, sizeof(record));
    record.header.cgroup_id = cgroup_id;
    return record;
}

// What the dispatch was handed, with the process's program at that moment.
struct Seen {
    bool core = false;
    std::size_t plugin = 0;
    uint16_t kind = 0;
    std::string exe; // "" when the record came without a process
    std::optional<std::string> container_id;
};

class RecordingSink : public dispatch::RecordSink {
public:
    bool wants_core(uint16_t kind) const override { return kind != VIGIL_KIND_PROCESS_FORK; }
    void core_record(const vigil_event_header &header, const processes::ProcessEntry *process,
                     const containers::ContainerInfo *container) override
    {
        seen.push_back(Seen{true, 0, header.kind, process != nullptr ? process->exe : "", id_of(container)});
    }
    void plugin_record(std::size_t plugin, const vigil_event_header &header, const processes::ProcessEntry &process,
                       const containers::ContainerInfo *container) override
    {
        seen.push_back(Seen{false, plugin, header.kind, process.exe, id_of(container)});
    }

    std::vector<Seen> seen;

private:
    static std::optional<std::string> id_of(const containers::ContainerInfo *container)
    {
        if (container == nullptr) {
            return std::nullopt;
        }
        return container->id;
    }
};

// The core ring, holding records the drain has not reached yet.
class PendingCoreRing : public RingCatchUp {
public:
    std::size_t catch_up(const RecordHandler &handler) override
    {
        ++calls;
        auto &core = const_cast<RecordHandler &>(handler);
        auto taken = pending.size();
        for (auto &record : pending) {
            core.handle_record(record.data(), record.size());
        }
        pending.clear();
        return taken;
    }
    template <typename Record> void push(const Record &record)
    {
        const auto *bytes = reinterpret_cast<const unsigned char *>(&record);
        pending.emplace_back(bytes, bytes + sizeof(record));
    }

    int calls = 0;
    std::vector<std::vector<unsigned char>> pending;
};

// /proc as seen at the moment of the lookup: the program of each live process.
class FakeProc : public ProgramSource {
public:
    bool refresh_program(processes::ProcessEntry &process) override
    {
        ++calls;
        for (const auto &[tgid, exe] : programs) {
            if (tgid == process.tgid) {
                process.exe = exe;
                return true;
            }
        }
        return false; // gone
    }

    int calls = 0;
    std::vector<std::pair<uint32_t, std::string>> programs;
};

struct Fixture {
    processes::ProcessTable processes{64, 1'000'000'000};
    containers::CgroupDirectory directory{missing_mount, 16};
    containers::ContainerResolver containers{directory, 16};
    FakeProc proc;
    RecordingSink sink;
    PendingCoreRing core_ring;
    EventRouter router{processes, containers, proc, sink};

    Fixture() { router.catch_up_with(core_ring); }

    template <typename Record> void core(const Record &record)
    {
        router.core_records().handle_record(&record, sizeof(record));
    }
    void plugin(const PluginRecord &record, std::size_t plugin = 3)
    {
        router.plugin_records(plugin).handle_record(&record, sizeof(record));
    }
};

} // namespace

TEST_CASE("event router: a plugin's record that overtook its exec waits for the exec from the core ring")
{
    Fixture f;
    f.core(exec_record(100, "sh", "/bin/sh"));
    // The new program's exec is still in the core ring when the plugin's record is drained.
    f.core_ring.push(exec_record(100, "curl", "/usr/bin/curl"));
    f.plugin(plugin_record(100, "curl"));

    CHECK(f.core_ring.calls == 1);
    CHECK(f.proc.calls == 0);
    REQUIRE(f.sink.seen.size() == 3); // the first exec, the caught-up exec, then the plugin's record
    CHECK(f.sink.seen[1].core);
    CHECK(f.sink.seen[1].exe == "/usr/bin/curl");
    CHECK_FALSE(f.sink.seen[2].core);
    CHECK(f.sink.seen[2].plugin == 3);
    CHECK(f.sink.seen[2].exe == "/usr/bin/curl");
}

TEST_CASE("event router: a thread name that matches the program needs neither catch-up nor /proc")
{
    Fixture f;
    f.core(exec_record(100, "curl", "/usr/bin/curl"));
    f.plugin(plugin_record(100, "curl"));
    // The kernel keeps 15 characters of the name: a prefix of the file's name matches.
    f.core(exec_record(101, "a-very-long-pro", "/opt/bin/a-very-long-program-name"));
    f.plugin(plugin_record(101, "a-very-long-pro"));

    CHECK(f.core_ring.calls == 0);
    CHECK(f.proc.calls == 0);
    REQUIRE(f.sink.seen.size() == 4);
    CHECK(f.sink.seen[1].exe == "/usr/bin/curl");
    CHECK(f.sink.seen[3].exe == "/opt/bin/a-very-long-program-name");
}

TEST_CASE("event router: a thread renamed away from its program is placed by /proc, not trusted")
{
    Fixture f;
    // A process that named its thread like something else: no exec explains the name.
    f.core(exec_record(100, "python3", "/usr/bin/python3"));
    f.proc.programs = {{100, "/usr/bin/python3.11"}};
    f.plugin(plugin_record(100, "worker-7"));

    CHECK(f.core_ring.calls == 1); // the exec might have been waiting: looked for first
    CHECK(f.proc.calls == 1);
    REQUIRE(f.sink.seen.size() == 2);
    CHECK(f.sink.seen[1].exe == "/usr/bin/python3.11");
}

TEST_CASE("event router: a process from before the start is read from /proc once its record comes")
{
    Fixture f;
    f.proc.programs = {{300, "/usr/sbin/sshd"}};
    f.plugin(plugin_record(300, "sshd"));

    CHECK(f.proc.calls == 1);
    REQUIRE(f.sink.seen.size() == 1);
    CHECK(f.sink.seen[0].exe == "/usr/sbin/sshd");
}

TEST_CASE("event router: a process gone from /proc is still delivered, with the thread name it had")
{
    Fixture f;
    f.plugin(plugin_record(400, "miner"));

    CHECK(f.proc.calls == 1);
    REQUIRE(f.sink.seen.size() == 1);
    CHECK(f.sink.seen[0].exe == "miner"); // not a path: detectors can tell it is only a name
    CHECK(f.router.statistics().records == 1);
    CHECK(f.router.statistics().malformed == 0);
}

TEST_CASE("event router: sizes are never trusted")
{
    Fixture f;
    auto good = plugin_record(100, "curl");

    SUBCASE("shorter than a header")
    {
        f.router.plugin_records(0).handle_record(&good, sizeof(vigil_event_header) - 1);
    }
    SUBCASE("a header that claims more than the ring handed over")
    {
        f.router.plugin_records(0).handle_record(&good, sizeof(vigil_event_header));
    }
    SUBCASE("a header that claims less than a header")
    {
        auto lying = good;
        lying.header.size = sizeof(vigil_event_header) - 1;
        f.plugin(lying);
    }
    SUBCASE("a core exec shorter than an exec")
    {
        auto exec = exec_record(100, "curl", "/usr/bin/curl");
        exec.header.size = sizeof(vigil_event_header) + 8;
        f.core(exec);
        CHECK(f.processes.find(100) == nullptr);
    }
    CHECK(f.router.statistics().malformed == 1);
    CHECK(f.sink.seen.empty());
}

TEST_CASE("event router: a core record of an unknown kind is counted and dropped")
{
    Fixture f;
    auto record = plugin_record(100, "curl"); // a plugin's kind on the core ring
    f.core(record);
    auto unknown = header(VIGIL_KIND_LIMIT - 1, 100, "curl", sizeof(vigil_event_header));
    f.core(unknown);

    CHECK(f.router.statistics().unknown_kind == 2);
    CHECK(f.router.statistics().malformed == 0);
    CHECK(f.sink.seen.empty());
}

TEST_CASE("event router: a cgroup is known before its records are dispatched, and still at its removal")
{
    Fixture f;
    f.core(cgroup_record(VIGIL_KIND_CGROUP_CREATED, 7001, container_path));
    REQUIRE(f.sink.seen.size() == 1);
    CHECK(f.sink.seen[0].kind == VIGIL_KIND_CGROUP_CREATED);

    auto in_container = plugin_record(100, "curl", 7001);
    f.core(exec_record(100, "curl", "/usr/bin/curl"));
    f.plugin(in_container);
    REQUIRE(f.sink.seen.size() == 3);
    REQUIRE(f.sink.seen[2].container_id);
    CHECK(f.sink.seen[2].container_id->starts_with("a3a5e715f0cc"));

    // The removal's subscribers still see the container it was.
    auto removed = cgroup_record(VIGIL_KIND_CGROUP_REMOVED, 7001, container_path);
    removed.header.cgroup_id = 7001;
    f.core(removed);
    REQUIRE(f.sink.seen.size() == 4);
    CHECK(f.sink.seen[3].kind == VIGIL_KIND_CGROUP_REMOVED);
    CHECK(f.sink.seen[3].container_id.has_value());
}

TEST_CASE("event router: core kinds nobody wants still update the tables")
{
    Fixture f;
    f.core(exec_record(100, "sh", "/bin/sh"));
    vigil_process_fork fork{};
    fork.header = header(VIGIL_KIND_PROCESS_FORK, 100, "sh", sizeof(fork));
    fork.child_tgid = 101;
    fork.child_ns_tgid = 101;
    fork.child_start_ns = 1010;
    f.core(fork);

    CHECK(f.sink.seen.size() == 1); // the exec only: the recorder does not want forks
    const auto *child = f.processes.find(101);
    REQUIRE(child != nullptr);
    CHECK(child->exe == "/bin/sh");
}
