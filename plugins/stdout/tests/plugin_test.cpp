// SPDX-License-Identifier: Apache-2.0
// The real stdout.so, formatting and sending through the fake host as the
// sensor's delivery thread would, with fd 1 pointed at what the test reads.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vigil/testing/fake_host.hpp>

using vigil::testing::FakeHost;
using vigil::testing::OutputDelivery;
using vigil::testing::SampleAlert;

namespace {

constexpr uint64_t alert_time = 1795280400ULL * 1'000'000'000 + 123456789; // 2026-11-21T17:00:00.123456789Z

// Points fd 1 at @fd while it exists. Nothing may be asserted meanwhile:
// doctest's own report goes to fd 1 too.
class StdoutRedirect {
public:
    explicit StdoutRedirect(int fd)
    {
        std::cout.flush();
        std::fflush(stdout);
        saved_ = dup(STDOUT_FILENO);
        dup2(fd, STDOUT_FILENO);
    }
    ~StdoutRedirect()
    {
        dup2(saved_, STDOUT_FILENO);
        close(saved_);
    }
    StdoutRedirect(const StdoutRedirect &) = delete;
    StdoutRedirect &operator=(const StdoutRedirect &) = delete;

private:
    int saved_ = -1;
};

// Formats and sends @alerts with stdout pointed at a memory file; returns what was printed.
std::string printed(FakeHost &host, std::initializer_list<const vigil_alert *> alerts, OutputDelivery &delivery)
{
    int fd = memfd_create("stdout", MFD_CLOEXEC);
    REQUIRE(fd >= 0);
    {
        StdoutRedirect redirect(fd);
        delivery = host.format_and_send(alerts);
    }
    std::string text;
    char chunk[4096];
    ssize_t got = 0;
    lseek(fd, 0, SEEK_SET);
    while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
        text.append(chunk, static_cast<std::size_t>(got));
    }
    close(fd);
    return text;
}

// A container process's alert whose summary tries to forge a second line.
SampleAlert container_alert()
{
    SampleAlert alert;
    alert.json = R"({"rule":"injection.ptrace_attach","severity":"high"})";
    alert.time_unix_ns = alert_time;
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "ptrace attach\nFORGED LINE";
    alert.tactics.clear();
    alert.techniques = {{sizeof(vigil_attack_ref), "T1055.008", "Ptrace"},
                        {sizeof(vigil_attack_ref), "T1611", "Escape to Host"}};
    alert.pid = 1234;
    alert.exe = "/injector";
    alert.container = "3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";
    alert.pod_uid = "uid-1";
    return alert;
}

// The summary of a host process's repeats the dedup window held back.
SampleAlert host_summary()
{
    SampleAlert alert;
    alert.json = R"({"rule":"exec.shell","severity":"low","repeat":{"count":3}})";
    alert.time_unix_ns = alert_time;
    alert.rule = "exec.shell";
    alert.severity = VIGIL_SEVERITY_LOW;
    alert.summary = "shell started";
    alert.tactics.clear();
    alert.techniques.clear();
    alert.pid = 7;
    alert.exe = "/bin/sh";
    alert.in_container = false;
    alert.with_pod = false;
    alert.repeat_count = 3;
    return alert;
}

} // namespace

TEST_CASE("human lines: time, severity, rule, techniques, where, process, summary, repeats")
{
    FakeHost host(STDOUT_PLUGIN_PATH);
    CHECK(std::string(host.descriptor().name) == "stdout");
    CHECK(host.descriptor().kind == VIGIL_PLUGIN_OUTPUT);
    host.set_option("format", "human");
    REQUIRE(host.start() == 0);

    auto in_container = container_alert();
    auto on_host = host_summary();
    auto first = in_container.view();
    auto second = on_host.view();
    OutputDelivery delivery;
    auto text = printed(host, {&first, &second}, delivery);
    CHECK(delivery.taken == 2);
    CHECK(delivery.result.status == VIGIL_SEND_OK);
    CHECK(text ==
          "2026-11-21T17:00:00.123456789Z HIGH injection.ptrace_attach [T1055.008,T1611] container 3f2a1b2c3d4e "
          "pod uid-1 pid 1234 /injector: ptrace attach\\x0aFORGED LINE\n"
          "2026-11-21T17:00:00.123456789Z LOW exec.shell host pid 7 /bin/sh: shell started (repeated 3 times)\n");
    CHECK(host.problems().empty());
}

TEST_CASE("JSON lines: each alert's JSON as it came, one per line")
{
    FakeHost host(STDOUT_PLUGIN_PATH);
    host.set_option("format", "json");
    REQUIRE(host.start() == 0);

    auto in_container = container_alert();
    auto on_host = host_summary();
    auto first = in_container.view();
    auto second = on_host.view();
    OutputDelivery delivery;
    auto text = printed(host, {&first, &second}, delivery);
    CHECK(delivery.result.status == VIGIL_SEND_OK);
    CHECK(text == in_container.json + "\n" + on_host.json + "\n");
}

TEST_CASE("init refuses an unknown format")
{
    FakeHost host(STDOUT_PLUGIN_PATH);
    host.set_option("format", "xml");
    CHECK(host.start() != 0);
    const auto &logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].message.find("\"human\" or \"json\", not \"xml\"") != std::string::npos);
}

TEST_CASE("a send is rejected when the reader is gone")
{
    FakeHost host(STDOUT_PLUGIN_PATH);
    host.set_option("format", "json");
    REQUIRE(host.start() == 0);

    int pipe_fds[2];
    REQUIRE(pipe2(pipe_fds, O_CLOEXEC) == 0);
    close(pipe_fds[0]);
    auto previous = std::signal(SIGPIPE, SIG_IGN); // as the sensor does
    vigil_send_result result{};
    {
        StdoutRedirect redirect(pipe_fds[1]);
        result = host.send("{}\n");
    }
    std::signal(SIGPIPE, previous);
    close(pipe_fds[1]);
    CHECK(result.status == VIGIL_SEND_REJECT);
    CHECK(std::string(result.reason).find("Broken pipe") != std::string::npos);
}

TEST_CASE("a partly written request is resumed when it is sent again")
{
    FakeHost host(STDOUT_PLUGIN_PATH);
    host.set_option("format", "json");
    REQUIRE(host.start() == 0);

    // A non-blocking pipe nobody reads fills up: the send writes what fits,
    // waits a second for room, and hands the request back for a retry.
    int pipe_fds[2];
    REQUIRE(pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) == 0);
    int capacity = fcntl(pipe_fds[1], F_GETPIPE_SZ);
    REQUIRE(capacity > 0);
    std::string request;
    for (int line = 0; request.size() < static_cast<std::size_t>(capacity) * 3 / 2; ++line) {
        request += "{\"line\":" + std::to_string(line) + "}\n";
    }

    auto drain = [&](std::string &into) {
        char chunk[4096];
        ssize_t got = 0;
        while ((got = read(pipe_fds[0], chunk, sizeof(chunk))) > 0) {
            into.append(chunk, static_cast<std::size_t>(got));
        }
    };
    vigil_send_result first{};
    vigil_send_result second{};
    std::string received;
    {
        StdoutRedirect redirect(pipe_fds[1]);
        first = host.send(request);
        drain(received);
        second = host.send(request); // the sensor resends the same request
        drain(received);
    }
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    CHECK(first.status == VIGIL_SEND_RETRY);
    CHECK(second.status == VIGIL_SEND_OK);
    CHECK(received == request);
}
