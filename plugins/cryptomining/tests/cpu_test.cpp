// SPDX-License-Identifier: Apache-2.0
// cryptomining.sustained_cpu through the real cryptomining.so: the host facts
// point at a temporary directory holding a fake cgroup v2 tree (cpu.stat,
// cgroup.procs) and a fake procfs (schedstat), which a simulation advances
// second by second while the test drives the plugin's tick.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "test_support.hpp"

using namespace cryptomining_test;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t second = 1'000'000'000;

// A fake node: one container cgroup (and the host's root cgroup) with processes that burn CPU.
class Simulation {
public:
    explicit Simulation(Sensor &sensor) : sensor_(sensor)
    {
        std::string pattern = (fs::temp_directory_path() / "cryptomining-cpu-XXXXXX").string();
        root_ = fs::path(mkdtemp(pattern.data()));
        fs::create_directories(cgroup_dir(container_cgroup_path));
        fs::create_directories(cgroup_dir("/"));
        vigil::testing::FakeHost::HostFacts facts;
        facts.cgroup2_root = (root_ / "cgroup").string();
        facts.proc_root = (root_ / "proc").string();
        sensor.host.set_host_facts(facts);
        write_cgroup(container_cgroup_path, {}, 0);
        write_cgroup("/", {}, 0);
    }
    ~Simulation() { fs::remove_all(root_); }
    Simulation(const Simulation &) = delete;
    Simulation &operator=(const Simulation &) = delete;

    // A process in the container (or on the host) that uses @cores from now on; 0 stops it using any.
    void run(uint32_t pid, double cores, bool on_host = false)
    {
        auto &process = processes_[pid];
        process.cores = cores;
        process.on_host = on_host;
        write_process(pid, process);
    }
    void exit(uint32_t pid)
    {
        processes_.erase(pid);
        fs::remove_all(root_ / "proc" / std::to_string(pid));
    }

    // The exec event that makes the plugin watch the process's cgroup.
    void exec(uint32_t tgid) { sensor_.exec(tgid, "/bin/sh", {"sh"}); }

    // Advances the node by @seconds, one tick per second; returns when the first alert came, if one did.
    std::optional<uint64_t> advance(uint64_t seconds)
    {
        std::optional<uint64_t> first_alert;
        for (uint64_t step = 0; step < seconds; ++step) {
            now_ += second;
            uint64_t container_usage = 0;
            uint64_t host_usage = 0;
            for (auto &[pid, process] : processes_) {
                auto used = static_cast<uint64_t>(process.cores * static_cast<double>(second));
                process.cpu_ns += used;
                (process.on_host ? host_usage : container_usage) += used / 1000;
                write_process(pid, process);
            }
            container_usage_ += container_usage;
            host_usage_ += host_usage + container_usage; // the root counts everything below it
            write_cgroup(container_cgroup_path, pids(false), container_usage_);
            write_cgroup("/", pids(true), host_usage_);
            sensor_.host.tick(now_);
            if (!first_alert && !sensor_.host.alerts().empty()) {
                first_alert = now_;
            }
        }
        return first_alert;
    }

    uint64_t now() const { return now_; }
    fs::path root() const { return root_; }

private:
    struct Process {
        double cores = 0;
        bool on_host = false;
        uint64_t cpu_ns = 0;
    };

    fs::path cgroup_dir(const std::string &path) const { return root_ / "cgroup" / path.substr(1); }

    std::vector<uint32_t> pids(bool on_host) const
    {
        std::vector<uint32_t> out;
        for (const auto &[pid, process] : processes_) {
            if (process.on_host == on_host) {
                out.push_back(pid);
            }
        }
        return out;
    }

    void write_cgroup(const std::string &path, const std::vector<uint32_t> &pids, uint64_t usage_usec)
    {
        if (!fs::exists(cgroup_dir(path))) {
            return; // removed by the test
        }
        std::ofstream(cgroup_dir(path) / "cpu.stat")
            << "usage_usec " << usage_usec << "\nuser_usec " << usage_usec << "\nsystem_usec 0\n";
        std::ofstream procs(cgroup_dir(path) / "cgroup.procs");
        for (auto pid : pids) {
            procs << pid << "\n";
        }
    }

    void write_process(uint32_t pid, const Process &process)
    {
        auto directory = root_ / "proc" / std::to_string(pid);
        fs::create_directories(directory);
        std::ofstream(directory / "schedstat") << process.cpu_ns << " 1000 10\n";
        std::ofstream(directory / "cgroup") << "0::" << (process.on_host ? "/" : container_cgroup_path) << "\n";
    }

    Sensor &sensor_;
    fs::path root_;
    std::map<uint32_t, Process> processes_;
    uint64_t container_usage_ = 0;
    uint64_t host_usage_ = 0;
    uint64_t now_ = 1000 * second;
};

} // namespace

TEST_CASE("defaults: a miner pinning two cores is reported within a minute")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    sensor.add(1500, container_cgroup, "/tmp/.x/kthreadd", "kthreadd --config c.json");
    node.exec(shell);
    auto started = node.now();
    node.run(1500, 2.0);
    auto alerted = node.advance(60);
    REQUIRE(alerted);
    CHECK(*alerted - started <= 60 * second);
    CHECK(*alerted - started >= 40 * second); // not before the window
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "cryptomining.sustained_cpu");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.techniques == strings({"T1496.001", "T1496"}));
    CHECK(alert.subject_tgid == 1500);
    CHECK_FALSE(alert.has_event);
    CHECK(alert.evidence_at("cores") == "2.00");
    CHECK(alert.evidence_at("threshold_cores") == "0.90");
    CHECK(alert.evidence_at("window_s") == "40");
    CHECK(alert.evidence_at("exe") == "/tmp/.x/kthreadd");
    CHECK(alert.evidence_at("cmdline") == "kthreadd --config c.json");
    CHECK(alert.evidence_at("cgroup") == container_cgroup_path);
    CHECK(alert.dedup_key == "pid:1500");

    // Reported once, not on every sample that follows.
    node.advance(60);
    CHECK(sensor.alerts().size() == 1);
}

TEST_CASE("defaults: a single-threaded miner at one core is reported too")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    node.run(1500, 1.0);
    REQUIRE(node.advance(60));
    CHECK(sensor.only_alert().evidence_at("cores") == "1.00");
}

TEST_CASE("defaults: a compression burst of a few seconds is ignored")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    node.advance(7);
    node.run(1600, 1.0); // gzip
    node.advance(3);
    node.exit(1600);
    CHECK_FALSE(node.advance(120));
}

TEST_CASE("defaults: make -j2, many compilers of a few seconds each on two cores, is ignored")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    node.run(1700, 0.01); // make itself
    uint32_t next = 1800;
    for (int job = 0; job < 30; ++job) {
        node.run(next, 1.0);
        node.run(next + 1, 1.0);
        CHECK_FALSE(node.advance(8));
        node.exit(next);
        node.exit(next + 1);
        next += 2;
    }
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a process that dips below the threshold starts its window again")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    for (int cycle = 0; cycle < 4; ++cycle) {
        node.run(1500, 1.5);
        CHECK_FALSE(node.advance(30));
        node.run(1500, 0.1);
        CHECK_FALSE(node.advance(10));
    }
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a short window and a lower threshold, as the integration tests configure")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.host.set_option_literal("cpu_threshold_cores", "0.5");
    sensor.host.set_option_literal("cpu_window_s", "4");
    sensor.host.set_option_literal("cpu_sample_interval_s", "1");
    sensor.start();
    node.exec(shell);
    node.run(1500, 0.6);
    auto started = node.now();
    auto alerted = node.advance(10);
    REQUIRE(alerted);
    CHECK(*alerted - started <= 7 * second);
    CHECK(sensor.only_alert().evidence_at("cores") == "0.60");
}

TEST_CASE("cpu_allowed_exes holds back a legitimately busy program")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.host.set_option_literal("cpu_allowed_exes", "[\"*/FFmpeg\"]");
    sensor.start();
    sensor.add(1500, container_cgroup, "/usr/bin/ffmpeg", "ffmpeg -i in.mp4 out.webm");
    node.exec(shell);
    node.run(1500, 2.0);
    CHECK_FALSE(node.advance(90));
    CHECK(sensor.host.metric("cryptomining_allowed_findings") == 1);
}

TEST_CASE("a quiet container costs one cpu.stat read per sample interval, nothing more")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    node.run(1500, 0.2);
    node.run(1501, 0.3);
    node.advance(100);
    CHECK(sensor.alerts().empty());
    // One cpu.stat every 5 s over 100 s, the first a baseline: no cgroup.procs, no schedstat.
    CHECK(sensor.host.metric("cryptomining_cpu_file_reads") == 20);
}

TEST_CASE("nothing watched, nothing read; a removed cgroup is forgotten")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.run(1500, 2.0);
    node.advance(60);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("cryptomining_cpu_file_reads") == 0);

    node.exec(shell);
    node.advance(10);
    auto reads = sensor.host.metric("cryptomining_cpu_file_reads");
    CHECK(reads > 0);
    auto removal = sensor.host.make_record<vigil_cgroup_change>(VIGIL_KIND_CGROUP_REMOVED, host_tool);
    removal.cgroup_id = container_cgroup;
    sensor.host.deliver(removal);
    node.advance(60);
    CHECK(sensor.host.metric("cryptomining_cpu_file_reads") == reads);
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a cgroup whose files are gone is dropped at its next sample")
{
    Sensor sensor;
    Simulation node(sensor);
    sensor.start();
    node.exec(shell);
    node.advance(5);
    fs::remove_all(node.root() / "cgroup" / "kubepods");
    auto reads = sensor.host.metric("cryptomining_cpu_file_reads");
    node.advance(30);
    CHECK(sensor.host.metric("cryptomining_cpu_file_reads") == reads + 1);
}

TEST_CASE("host processes: only with cpu_include_host, and never with containers_only")
{
    {
        Sensor sensor;
        Simulation node(sensor);
        sensor.start();
        node.run(host_tool, 2.0, true);
        node.exec(host_tool);
        CHECK_FALSE(node.advance(90));
    }
    {
        Sensor sensor;
        Simulation node(sensor);
        sensor.host.set_option_literal("cpu_include_host", "true");
        sensor.start();
        node.run(host_tool, 2.0, true);
        node.exec(host_tool);
        REQUIRE(node.advance(90));
        CHECK(sensor.only_alert().subject_tgid == host_tool);
        CHECK(sensor.only_alert().evidence_at("cgroup") == "/");
    }
    {
        Sensor sensor;
        Simulation node(sensor);
        sensor.host.set_option_literal("cpu_include_host", "true");
        sensor.host.set_option_literal("containers_only", "true");
        sensor.start();
        node.run(host_tool, 2.0, true);
        node.exec(host_tool);
        CHECK_FALSE(node.advance(90));
    }
}

TEST_CASE("without a cgroup v2 hierarchy the rule says so and stays idle")
{
    Sensor sensor;
    sensor.start();
    bool warned = false;
    for (const auto &line : sensor.host.logs()) {
        warned = warned || line.message.find("sustained_cpu") != std::string::npos;
    }
    CHECK(warned);
    sensor.exec(shell, "/bin/sh", {"sh"});
    sensor.host.tick(100 * second);
    CHECK(sensor.host.metric("cryptomining_cpu_file_reads") == 0);
}
