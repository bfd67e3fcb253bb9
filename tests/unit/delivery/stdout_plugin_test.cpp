// The stdout output plugin, loaded from its built .so and driven through the ABI.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "core/alerts/rendered_alert.hpp"
#include "tests/unit/delivery/plugin_harness.hpp"
#include "tests/unit/delivery/temporary_directory.hpp"

using namespace vigil::testing;
using vigil::alerts::Alert;
using vigil::alerts::RenderedAlert;

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

// Sends @alerts through the plugin with stdout pointed at a file; returns what was printed.
std::string printed(const PluginInstance &instance, const std::vector<const vigil_alert *> &alerts,
                    vigil_send_result &result)
{
    TemporaryDirectory directory;
    auto path = directory.path() / "stdout";
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    {
        StdoutRedirect redirect(fd);
        result = instance.format_and_send(alerts);
    }
    close(fd);
    return read_file(path);
}

Alert container_alert()
{
    Alert alert;
    alert.time_unix_ns = alert_time;
    alert.rule = "injection.ptrace_attach";
    alert.plugin = "injection";
    alert.severity = VIGIL_SEVERITY_HIGH;
    alert.summary = "ptrace attach\nFORGED LINE";
    alert.techniques = {{"T1055.008", "Ptrace"}, {"T1611", "Escape to Host"}};
    alert.process = vigil::alerts::ProcessContext{1234, 1234, 0, 0, "/injector", "", {}};
    alert.container =
        vigil::alerts::ContainerContext{"3f2a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8", "containerd"};
    alert.k8s.pod_uid = "uid-1";
    alert.k8s.node = "node-1";
    return alert;
}

Alert host_summary()
{
    Alert alert;
    alert.time_unix_ns = alert_time;
    alert.rule = "exec.shell";
    alert.plugin = "exec";
    alert.severity = VIGIL_SEVERITY_LOW;
    alert.summary = "shell started";
    alert.process = vigil::alerts::ProcessContext{7, 7, 0, 0, "/bin/sh", "", {}};
    alert.k8s.node = "node-1";
    alert.repeat = vigil::alerts::Repeat{3, 1, 2};
    return alert;
}

} // namespace

TEST_CASE("delivery: stdout plugin prints human lines")
{
    LoadedPlugin plugin(VIGIL_STDOUT_PLUGIN);
    CHECK(std::string(plugin.descriptor().name) == "stdout");
    CHECK(plugin.descriptor().kind == VIGIL_PLUGIN_OUTPUT);
    TestHost host;
    TestConfig config;
    config.set_string("format", "human");
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);

    RenderedAlert in_container(container_alert());
    RenderedAlert on_host(host_summary());
    vigil_send_result result{};
    auto text = printed(instance, {in_container.view(), on_host.view()}, result);
    CHECK(result.status == VIGIL_SEND_OK);
    CHECK(text == "2026-11-21T17:00:00.123456789Z HIGH injection.ptrace_attach [T1055.008,T1611] container 3f2a1b2c3d4e "
                  "pod uid-1 pid 1234 /injector: ptrace attach\\x0aFORGED LINE\n"
                  "2026-11-21T17:00:00.123456789Z LOW exec.shell host pid 7 /bin/sh: shell started (repeated 3 times)\n");
}

TEST_CASE("delivery: stdout plugin prints JSON lines")
{
    LoadedPlugin plugin(VIGIL_STDOUT_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("format", "json");
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);

    RenderedAlert first(container_alert());
    RenderedAlert second(host_summary());
    vigil_send_result result{};
    auto text = printed(instance, {first.view(), second.view()}, result);
    CHECK(result.status == VIGIL_SEND_OK);
    CHECK(text == first.json() + "\n" + second.json() + "\n");
}

TEST_CASE("delivery: stdout plugin refuses an unknown format")
{
    LoadedPlugin plugin(VIGIL_STDOUT_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("format", "xml");
    PluginInstance instance(plugin, host, config);
    CHECK(instance.init_status() != 0);
    auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].find("\"human\" or \"json\", not \"xml\"") != std::string::npos);
}

TEST_CASE("delivery: stdout plugin rejects when the reader is gone")
{
    LoadedPlugin plugin(VIGIL_STDOUT_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("format", "json");
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);

    int pipe_fds[2];
    REQUIRE(pipe2(pipe_fds, O_CLOEXEC) == 0);
    close(pipe_fds[0]);
    auto previous = std::signal(SIGPIPE, SIG_IGN); // as the sensor does
    vigil_send_result result{};
    {
        StdoutRedirect redirect(pipe_fds[1]);
        result = instance.send("{}\n");
    }
    std::signal(SIGPIPE, previous);
    close(pipe_fds[1]);
    CHECK(result.status == VIGIL_SEND_REJECT);
    CHECK(std::string(result.reason).find("Broken pipe") != std::string::npos);
}

TEST_CASE("delivery: stdout plugin resumes a partly written request after a retry")
{
    LoadedPlugin plugin(VIGIL_STDOUT_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("format", "json");
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);

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
        first = instance.send(request);
        drain(received);
        second = instance.send(request); // the sensor resends the same request
        drain(received);
    }
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    CHECK(first.status == VIGIL_SEND_RETRY);
    CHECK(second.status == VIGIL_SEND_OK);
    CHECK(received == request);
}
