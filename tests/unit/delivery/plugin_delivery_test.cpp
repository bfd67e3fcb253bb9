// SPDX-License-Identifier: Apache-2.0
// The sensor's delivery thread driving a real output plugin (jsonl.so), loaded
// and started by the SDK's fake host: format and send cross the ABI from the
// worker's own thread, as they do in the sensor.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

#include <vigil/testing/fake_host.hpp>

#include "core/alerts/rendered_alert.hpp"
#include "core/delivery/output_worker.hpp"
#include "tests/unit/delivery/temporary_directory.hpp"

using namespace std::chrono_literals;
using vigil::alerts::Alert;
using vigil::alerts::RenderedAlert;
using vigil::testing::FakeHost;
using vigil::testing::read_file;
using vigil::testing::TemporaryDirectory;

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

} // namespace

TEST_CASE("delivery: jsonl plugin delivers through an output worker")
{
    TemporaryDirectory directory;
    auto path = directory.path() / "alerts.jsonl";
    FakeHost plugin(VIGIL_JSONL_PLUGIN);
    plugin.set_option("path", path.string());
    plugin.set_option("create_directories", false);
    REQUIRE(plugin.start() == 0);

    vigil::delivery::OutputWorker worker("jsonl", &plugin.hooks(), plugin.instance(), 100);
    std::string expected;
    for (int number = 0; number < 20; ++number) {
        auto alert = numbered_alert(number);
        expected += alert->json() + "\n";
        CHECK(worker.enqueue(std::shared_ptr<const vigil_alert>(alert, alert->view())));
    }
    worker.stop(5s);
    CHECK(worker.statistics().delivered == 20);
    CHECK(read_file(path) == expected);
    CHECK(plugin.problems().empty());
}
