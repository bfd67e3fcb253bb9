// The jsonl output plugin, loaded from its built .so and driven through the ABI.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

#include "core/delivery/output_worker.hpp"
#include "core/alerts/rendered_alert.hpp"
#include "tests/unit/delivery/plugin_harness.hpp"
#include "tests/unit/delivery/temporary_directory.hpp"

using namespace std::chrono_literals;
using namespace vigil::testing;
using vigil::alerts::Alert;
using vigil::alerts::RenderedAlert;

namespace {

std::shared_ptr<const RenderedAlert> numbered_alert(int number)
{
    Alert alert;
    alert.time_unix_ns = static_cast<uint64_t>(number);
    alert.rule = "test.rule";
    alert.plugin = "test";
    alert.summary = "alert " + std::to_string(number);
    alert.k8s.node = "node-1";
    return std::make_shared<const RenderedAlert>(std::move(alert));
}

mode_t permissions(const std::filesystem::path &path)
{
    struct stat status {};
    stat(path.c_str(), &status);
    return status.st_mode & 0777;
}

} // namespace

TEST_CASE("delivery: jsonl plugin appends lines and follows rotation")
{
    TemporaryDirectory directory;
    auto path = directory.path() / "nested" / "logs" / "alerts.jsonl";
    LoadedPlugin plugin(VIGIL_JSONL_PLUGIN);
    CHECK(std::string(plugin.descriptor().name) == "jsonl");
    TestHost host;
    TestConfig config;
    config.set_string("path", path.string()).set_bool("create_directories", true);
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);
    CHECK(permissions(path) == 0600);
    CHECK((permissions(path.parent_path()) & 0027) == 0); // 0750, less the umask

    auto first = numbered_alert(1);
    auto second = numbered_alert(2);
    int taken = 0;
    auto result = instance.format_and_send({first->view(), second->view()}, &taken);
    CHECK(taken == 2);
    CHECK(result.status == VIGIL_SEND_OK);
    // No buffering: the lines are in the file as soon as send returns.
    CHECK(read_file(path) == first->json() + "\n" + second->json() + "\n");

    // Rotated away: the next alert goes to a new file at the same path.
    auto rotated = path;
    rotated += ".1";
    std::filesystem::rename(path, rotated);
    auto third = numbered_alert(3);
    CHECK(instance.format_and_send({third->view()}).status == VIGIL_SEND_OK);
    CHECK(read_file(path) == third->json() + "\n");
    CHECK(read_file(rotated) == first->json() + "\n" + second->json() + "\n");

    // Replaced by another file (logrotate's "create"): reopened as well.
    std::filesystem::rename(path, rotated);
    { std::ofstream replacement(path); }
    auto fourth = numbered_alert(4);
    CHECK(instance.format_and_send({fourth->view()}).status == VIGIL_SEND_OK);
    CHECK(read_file(path) == fourth->json() + "\n");
}

TEST_CASE("delivery: jsonl plugin delivers through an output worker")
{
    TemporaryDirectory directory;
    auto path = directory.path() / "alerts.jsonl";
    LoadedPlugin plugin(VIGIL_JSONL_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("path", path.string()).set_bool("create_directories", false);
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);

    vigil::delivery::OutputWorker worker("jsonl", plugin.hooks(), instance.get(), 100);
    std::string expected;
    for (int number = 0; number < 20; ++number) {
        auto alert = numbered_alert(number);
        expected += alert->json() + "\n";
        CHECK(worker.enqueue(std::shared_ptr<const vigil_alert>(alert, alert->view())));
    }
    worker.stop(5s);
    CHECK(worker.statistics().delivered == 20);
    CHECK(read_file(path) == expected);
}

TEST_CASE("delivery: jsonl plugin refuses a path it cannot open")
{
    TemporaryDirectory directory;
    LoadedPlugin plugin(VIGIL_JSONL_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("path", (directory.path() / "missing" / "alerts.jsonl").string()).set_bool("create_directories", false);
    PluginInstance instance(plugin, host, config);
    CHECK(instance.init_status() != 0);
    auto logs = host.logs();
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].find("No such file or directory") != std::string::npos);
}

TEST_CASE("delivery: jsonl plugin asks for a retry when the disk is full")
{
    LoadedPlugin plugin(VIGIL_JSONL_PLUGIN);
    TestHost host;
    TestConfig config;
    config.set_string("path", "/dev/full").set_bool("create_directories", false);
    PluginInstance instance(plugin, host, config);
    REQUIRE(instance.init_status() == 0);
    auto alert = numbered_alert(1);
    auto result = instance.format_and_send({alert->view()});
    CHECK(result.status == VIGIL_SEND_RETRY);
    CHECK(std::string(result.reason).find("No space left on device") != std::string::npos);
}
