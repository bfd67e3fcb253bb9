// SPDX-License-Identifier: Apache-2.0
// lateral_movement.token_then_api_connect: a token read and an API server
// connect by one process tree, within the window, are one alert.
#include "test_support.hpp"

using namespace lateral_movement_test;

TEST_CASE("a shell's cat reads the token, its wget connects: one correlated alert for the pair")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.set_now(1010 * second);
    sensor.host.deliver(sensor.api_connect(wget));
    // The read alerts at once (the connect may never come); the connect completes the pair.
    REQUIRE(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.token_then_api_connect"}));
    const auto &alert = sensor.host.alerts()[1];
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.tactics == strings({"TA0006", "TA0007", "TA0008"}));
    CHECK(alert.techniques == strings({"T1552.007", "T1613", "T1550.001"}));
    CHECK(alert.evidence_at("token_path") == token_path);
    CHECK(alert.evidence_at("token_reader_pid") == std::to_string(cat));
    CHECK(alert.evidence_at("token_reader_exe") == "/bin/cat");
    CHECK(alert.evidence_at("token_reader_comm") == "cat");
    CHECK(alert.evidence_at("api_endpoint") == "10.96.0.1:443");
    CHECK(alert.evidence_at("connector_pid") == std::to_string(wget));
    CHECK(alert.evidence_at("connector_exe") == "/bin/wget");
    CHECK(alert.evidence_at("connector_comm") == "wget");
    CHECK(alert.evidence_at("order") == "token read, then connect");
    CHECK(alert.evidence_at("seconds_between") == "10");
    CHECK(alert.event_tgid == wget);
}

TEST_CASE("one process that reads and connects; a parent and its child; connect first")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(python, token_path));
    sensor.host.deliver(sensor.api_connect(python));
    CHECK(sensor.host.alerts().back().rule == "lateral_movement.token_then_api_connect");

    sensor.host.clear_alerts();
    sensor.host.deliver(sensor.open(shell, token_path)); // the shell itself, then its child
    sensor.host.deliver(sensor.api_connect(wget));
    CHECK(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.token_then_api_connect"}));

    sensor.host.clear_alerts();
    sensor.host.set_now(2000 * second);
    sensor.host.deliver(sensor.api_connect(other_wget));
    sensor.host.deliver(sensor.open(other_shell, token_path));
    CHECK(sensor.rules() ==
          strings({"lateral_movement.api_server_connect", "lateral_movement.token_then_api_connect"}));
    CHECK(sensor.host.alerts()[1].evidence_at("order") == "connect, then token read");
}

TEST_CASE("outside the window the two stay separate")
{
    Sensor sensor;
    sensor.host.set_option("correlation_window_s", int64_t{60});
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.set_now(1061 * second);
    sensor.host.deliver(sensor.api_connect(wget));
    CHECK(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.api_server_connect"}));
}

TEST_CASE("unrelated processes: other containers, or two separate execs into one container")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.deliver(sensor.api_connect(stranger));   // another container
    sensor.host.deliver(sensor.api_connect(other_wget)); // another exec's shell, parent outside the container
    CHECK(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.api_server_connect",
                                     "lateral_movement.api_server_connect"}));
}

TEST_CASE("known API clients take no part in a pair")
{
    Sensor sensor;
    sensor.host.set_option("known_api_clients", strings({"/bin/cat"}));
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.deliver(sensor.api_connect(wget));
    CHECK(sensor.rules() == strings({"lateral_movement.api_server_connect"}));
}

TEST_CASE("the kubelet or metadata after a token read is its own alert, not the pair")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.deliver(sensor.connect4(wget, {192, 168, 1, 5}, 10250));
    CHECK(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.kubelet_connect"}));
}

TEST_CASE("with the correlation rule disabled, the halves alert alone")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules", strings({"lateral_movement.token_then_api_connect"}));
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    sensor.host.deliver(sensor.api_connect(wget));
    CHECK(sensor.rules() == strings({"lateral_movement.token_read", "lateral_movement.api_server_connect"}));
}

TEST_CASE("a flood of unrelated reads evicts old sightings instead of growing")
{
    Sensor sensor;
    sensor.host.set_option("correlation_capacity", int64_t{16});
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    for (int index = 0; index < 16; ++index) {
        sensor.host.deliver(sensor.open(stranger, token_path));
    }
    sensor.host.clear_alerts();
    sensor.host.deliver(sensor.api_connect(wget));
    CHECK(sensor.rules() == strings({"lateral_movement.api_server_connect"}));
}
