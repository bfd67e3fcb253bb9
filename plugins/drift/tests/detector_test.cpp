// SPDX-License-Identifier: Apache-2.0
// The real drift.so through vigil/testing/fake_host.hpp: profiles keyed by
// workload, drift once stable, the kernel told what is known, a container's
// behaviour waiting for its pod, and dropped binaries.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <vigil/testing/fake_host.hpp>

#include "drift_events.h"

namespace {

constexpr uint64_t cgroup = 9001;
constexpr uint32_t web_tgid = 100;
constexpr uint64_t second = 1'000'000'000ull;

struct Sensor {
    vigil::testing::FakeHost host{DRIFT_PLUGIN_PATH};
    std::filesystem::path state;

    explicit Sensor(uint32_t metadata_source = VIGIL_METADATA_API)
    {
        state = std::filesystem::temp_directory_path() /
                ("drift-test-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
        host.set_state_directory(state.string());
        // Learning for a second of the fake clock, then stable at once.
        host.set_option_literal("learning_min_s", "1");
        host.set_option_literal("learning_quiet_s", "0");
        host.set_option_literal("metadata_wait_s", "1");
        host.set_now(100 * second);
        set_container(metadata_source);
        vigil::testing::FakeProcess web;
        web.tgid = web_tgid;
        web.ns_tgid = 7;
        web.parent_tgid = 99;
        web.cgroup_id = cgroup;
        web.exe = "/usr/sbin/httpd";
        host.add_process(web);
        REQUIRE(host.start() == 0);
    }
    ~Sensor() { std::filesystem::remove_all(state); }

    void set_container(uint32_t metadata_source)
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = cgroup;
        container.id = std::string(64, 'd');
        container.pod_uid = "5d6f";
        container.name = "app";
        container.pod_namespace = "shop";
        container.workload_kind = "Deployment";
        container.workload_name = "web";
        container.template_hash = "7c9f";
        container.started_ns = 50 * second;
        container.metadata_source = metadata_source;
        host.add_container(container);
    }

    drift_open open(const char *path, uint64_t flags)
    {
        auto record = host.make_record<drift_open>(DRIFT_KIND_OPEN, web_tgid);
        record.open_flags = flags;
        std::strncpy(record.path, path, sizeof(record.path) - 1);
        record.path_size = static_cast<uint32_t>(std::strlen(path) + 1);
        return record;
    }

    // A query for @name as a resolver sends it over UDP, with the hash the kernel side computed.
    drift_dns query(const std::string &name, uint64_t name_hash)
    {
        auto record = host.make_record<drift_dns>(DRIFT_KIND_DNS, web_tgid);
        std::vector<uint8_t> bytes{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
        std::size_t start = 0;
        while (start <= name.size()) {
            auto dot = name.find('.', start);
            auto label = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            bytes.push_back(static_cast<uint8_t>(label.size()));
            bytes.insert(bytes.end(), label.begin(), label.end());
            if (dot == std::string::npos) {
                break;
            }
            start = dot + 1;
        }
        bytes.insert(bytes.end(), {0, 0, 1, 0, 1});
        std::memcpy(record.payload, bytes.data(), bytes.size());
        record.payload_size = static_cast<uint32_t>(bytes.size());
        record.name_hash = name_hash;
        return record;
    }

    drift_connect connect(uint8_t last_octet, uint16_t port)
    {
        auto record = host.make_record<drift_connect>(DRIFT_KIND_CONNECT, web_tgid);
        record.remote.family = DRIFT_AF_INET;
        record.remote.port = port;
        record.remote.address[0] = 10;
        record.remote.address[3] = last_octet;
        record.socket_type = 1;
        return record;
    }
};

} // namespace

TEST_CASE("drift: learned opens and connects are told to the kernel, per container")
{
    Sensor sensor;
    sensor.host.deliver(sensor.open("/tmp/data", O_WRONLY | O_CREAT));
    sensor.host.deliver(sensor.connect(5, 443));
    CHECK(sensor.host.map_entries("drift", "drift_known_opens").size() == 1);
    CHECK(sensor.host.map_entries("drift", "drift_known_connects").size() == 1);
    // The container's start, for the dropped-binary test in the kernel.
    CHECK(sensor.host.map_entries("drift", "drift_container_starts").size() == 1);
    CHECK(sensor.host.alerts().empty());

    // The container is gone: so is what the kernel was told of it.
    auto removed = sensor.host.make_record<vigil_cgroup_change>(VIGIL_KIND_CGROUP_REMOVED, 0);
    removed.cgroup_id = cgroup;
    sensor.host.deliver(removed);
    CHECK(sensor.host.map_entries("drift", "drift_known_opens").empty());
    CHECK(sensor.host.map_entries("drift", "drift_known_connects").empty());
    CHECK(sensor.host.map_entries("drift", "drift_container_starts").empty());
}

TEST_CASE("drift: once stable, what is new alerts with the profile and the entry")
{
    Sensor sensor;
    sensor.host.deliver(sensor.connect(5, 443));
    sensor.host.tick(101 * second);
    sensor.host.deliver(sensor.connect(5, 443));
    CHECK(sensor.host.alerts().empty());
    sensor.host.deliver(sensor.connect(9, 8443));
    REQUIRE(sensor.host.alerts().size() == 1);
    const auto &alert = sensor.host.alerts()[0];
    CHECK(alert.rule == "drift.new_connection");
    CHECK(alert.evidence_at("profile") == "shop/Deployment/web/app");
    CHECK(alert.evidence_at("profile_version") == "7c9f");
    CHECK(alert.evidence_at("class") == "connections");
    CHECK(alert.evidence_at("new") == "tcp 10.0.0.9:8443");
    // A drift is not told to the kernel: it keeps reaching user space, and the dedup window.
    CHECK(sensor.host.map_entries("drift", "drift_known_connects").size() == 1);
}

TEST_CASE("drift: behaviour waits for the pod's metadata, then feeds the workload's profile")
{
    Sensor sensor(VIGIL_METADATA_PENDING);
    sensor.host.deliver(sensor.open("/etc/passwd", O_RDONLY));
    CHECK(sensor.host.map_entries("drift", "drift_known_opens").empty());
    sensor.set_container(VIGIL_METADATA_API);
    sensor.host.tick(100 * second + 1);
    sensor.host.tick(102 * second);
    // Learned while waiting, so now known: the same read raises nothing, a new one does.
    sensor.host.deliver(sensor.open("/etc/passwd", O_RDONLY));
    CHECK(sensor.host.alerts().empty());
    sensor.host.deliver(sensor.open("/etc/shadow", O_RDONLY));
    REQUIRE(sensor.host.alerts().size() == 1);
    CHECK(sensor.host.alerts()[0].rule == "drift.new_sensitive_read");
    CHECK(sensor.host.alerts()[0].evidence_at("profile") == "shop/Deployment/web/app");
}

TEST_CASE("drift: a read outside the sensitive prefixes is not learned")
{
    Sensor sensor;
    sensor.host.deliver(sensor.open("/proc/meminfo", O_RDONLY));
    sensor.host.deliver(sensor.open("/var/lib/data", O_RDONLY));
    CHECK(sensor.host.map_entries("drift", "drift_known_opens").empty());
}

TEST_CASE("drift: a dropped binary alerts while the profile is still learning")
{
    Sensor sensor;
    auto record = sensor.host.make_record<drift_changed_exec>(DRIFT_KIND_CHANGED_EXEC, web_tgid);
    record.flags = DRIFT_IN_UPPER_LAYER;
    record.inode = 42;
    sensor.host.deliver(record);
    REQUIRE(sensor.host.alerts().size() == 1);
    const auto &alert = sensor.host.alerts()[0];
    CHECK(alert.rule == "drift.dropped_binary_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_at("inode") == "42");
    CHECK(alert.evidence_at("reason").find("upper layer") != std::string::npos);
}

TEST_CASE("drift: DNS names are learned, told to the kernel by hash, and new ones drift")
{
    Sensor sensor;
    sensor.host.deliver(sensor.query("api.shop.test", 0xabc0));
    const auto &names = sensor.host.map_entries("drift", "drift_known_names");
    REQUIRE(names.size() == 1);
    drift_known_name key{};
    std::memcpy(&key, names.begin()->first.data(), sizeof(key));
    CHECK(key.cgroup_id == cgroup);
    CHECK(key.name_hash == 0xabc0);
    sensor.host.tick(101 * second);
    sensor.host.deliver(sensor.query("API.shop.test", 0xabc1)); // names are case-blind
    CHECK(sensor.host.alerts().empty());
    sensor.host.deliver(sensor.query("exfil.evil.test", 0xdef0));
    REQUIRE(sensor.host.alerts().size() == 1);
    const auto &alert = sensor.host.alerts()[0];
    CHECK(alert.rule == "drift.new_dns_name");
    CHECK(alert.evidence_at("new") == "exfil.evil.test");
    CHECK(alert.severity == VIGIL_SEVERITY_LOW);
    // A message that is no query teaches nothing.
    auto garbage = sensor.host.make_record<drift_dns>(DRIFT_KIND_DNS, web_tgid);
    garbage.payload_size = 40;
    sensor.host.deliver(garbage);
    CHECK(sensor.host.alerts().size() == 1);
}

TEST_CASE("drift: when the container's next record finds the pod known, what waited is learned first")
{
    Sensor sensor(VIGIL_METADATA_PENDING);
    sensor.host.deliver(sensor.open("/etc/passwd", O_RDONLY));
    sensor.set_container(VIGIL_METADATA_API);
    // No tick in between: the next record resolves the container.
    sensor.host.deliver(sensor.open("/etc/group", O_RDONLY));
    sensor.host.tick(102 * second);
    sensor.host.deliver(sensor.open("/etc/passwd", O_RDONLY));
    sensor.host.deliver(sensor.open("/etc/group", O_RDONLY));
    CHECK(sensor.host.alerts().empty());
}

TEST_CASE("drift: periods that cannot be meant are refused, naming the option")
{
    vigil::testing::FakeHost host{DRIFT_PLUGIN_PATH};
    host.set_option_literal("learning_max_s", "100000000000");
    CHECK(host.start() != 0);
    vigil::testing::FakeHost shorter{DRIFT_PLUGIN_PATH};
    shorter.set_option_literal("learning_min_s", "100");
    shorter.set_option_literal("learning_max_s", "50");
    CHECK(shorter.start() != 0);
}

TEST_CASE("drift: an exec's parent is its creator, not the reaper that adopted it")
{
    Sensor sensor;
    // httpd (100) created the process; whether the kernel still names httpd or already the
    // container's pid 1 (99, after httpd's exit) is a race, and must not make a new entry.
    vigil::testing::FakeProcess init;
    init.tgid = 99;
    init.cgroup_id = cgroup;
    init.exe = "/sbin/tini";
    sensor.host.add_process(init);
    vigil::testing::FakeProcess worker;
    worker.tgid = 101;
    worker.parent_tgid = web_tgid;
    worker.cgroup_id = cgroup;
    worker.exe = "/usr/bin/worker";
    sensor.host.add_process(worker);
    auto exec = [&](uint32_t kernel_parent) {
        auto record = sensor.host.make_record<vigil_process_exec>(VIGIL_KIND_PROCESS_EXEC, 101);
        record.header.parent_tgid = kernel_parent;
        std::strcpy(record.filename, "/usr/bin/worker");
        record.filename_size = sizeof("/usr/bin/worker");
        std::strcpy(record.args, "worker");
        record.args_size = sizeof("worker");
        return record;
    };
    sensor.host.deliver(exec(web_tgid));
    sensor.host.tick(101 * second);
    sensor.host.deliver(exec(99));
    CHECK(sensor.host.alerts().empty());
}

TEST_CASE("drift: every parent outside the container is one, the runtime entering it")
{
    Sensor sensor;
    // `kubectl exec` twice: runc's processes differ from one entry to the next, in the host's cgroup.
    for (auto [tgid, exe] : {std::pair{200u, "/usr/sbin/runc"}, std::pair{201u, "/proc/self/exe"}}) {
        vigil::testing::FakeProcess runtime;
        runtime.tgid = tgid;
        runtime.cgroup_id = 1;
        runtime.exe = exe;
        sensor.host.add_process(runtime);
    }
    auto shell = [&](uint32_t tgid, uint32_t parent) {
        vigil::testing::FakeProcess process;
        process.tgid = tgid;
        process.parent_tgid = parent;
        process.cgroup_id = cgroup;
        process.exe = "/bin/sh";
        sensor.host.add_process(process);
        auto record = sensor.host.make_record<vigil_process_exec>(VIGIL_KIND_PROCESS_EXEC, tgid);
        std::strcpy(record.filename, "/bin/sh");
        record.filename_size = sizeof("/bin/sh");
        std::strcpy(record.args, "sh");
        record.args_size = sizeof("sh");
        return record;
    };
    sensor.host.deliver(shell(300, 200));
    sensor.host.tick(101 * second);
    sensor.host.deliver(shell(301, 201));
    CHECK(sensor.host.alerts().empty());
    // A shell a process of the container starts is another entry.
    sensor.host.deliver(shell(302, web_tgid));
    REQUIRE(sensor.host.alerts().size() == 1);
    CHECK(sensor.host.alerts()[0].evidence_at("new") == "/bin/sh argv0=sh parent=/usr/sbin/httpd");
}
