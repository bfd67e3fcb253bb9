// SPDX-License-Identifier: Apache-2.0
// lateral_movement.api_server_connect, kubelet_connect, etcd_connect and
// metadata_connect, through the real lateral_movement.so.
#include "test_support.hpp"

using namespace lateral_movement_test;

namespace {

const std::array<uint8_t, 16> metadata_v6{0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

} // namespace

TEST_CASE("a connect to the configured API server")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.api_connect(wget));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "lateral_movement.api_server_connect");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.tactics == strings({"TA0006", "TA0007"}));
    CHECK(alert.techniques == strings({"T1552.007", "T1613"}));
    CHECK(alert.evidence_at("destination") == "api_server");
    CHECK(alert.evidence_at("endpoint") == "10.96.0.1:443");
    CHECK(alert.evidence_at("port") == "443");
    CHECK(alert.evidence_at("watched_endpoint") == "10.96.0.1:443");
    CHECK(alert.dedup_key == pod_container_id + ":/bin/wget:10.96.0.1:443");
}

TEST_CASE("the kubelet, etcd and the metadata service, over IPv4 and IPv6")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.connect4(wget, {192, 168, 1, 5}, 10250));
    sensor.host.deliver(sensor.connect4(wget, {192, 168, 1, 5}, 10255));
    sensor.host.deliver(sensor.connect4(wget, {10, 0, 0, 9}, 2379));
    sensor.host.deliver(sensor.connect4(wget, {10, 0, 0, 9}, 2380));
    sensor.host.deliver(sensor.connect4(wget, {169, 254, 169, 254}, 80));
    sensor.host.deliver(sensor.connect6(wget, metadata_v6, 80));
    CHECK(sensor.rules() == strings({"lateral_movement.kubelet_connect", "lateral_movement.kubelet_connect",
                                     "lateral_movement.etcd_connect", "lateral_movement.etcd_connect",
                                     "lateral_movement.metadata_connect", "lateral_movement.metadata_connect"}));
    const auto &kubelet = sensor.host.alerts()[0];
    CHECK(kubelet.severity == VIGIL_SEVERITY_HIGH);
    CHECK(kubelet.techniques == strings({"T1552.007", "T1613"}));
    CHECK(kubelet.evidence_at("watched_endpoint") == "*:10250");
    const auto &etcd = sensor.host.alerts()[2];
    CHECK(etcd.severity == VIGIL_SEVERITY_HIGH);
    CHECK(etcd.evidence_at("destination") == "etcd");
    const auto &metadata = sensor.host.alerts()[4];
    CHECK(metadata.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(metadata.tactics == strings({"TA0006"}));
    CHECK(metadata.techniques == strings({"T1552.005"}));
    CHECK(metadata.evidence_at("endpoint") == "169.254.169.254:80");
    CHECK(sensor.host.alerts()[5].evidence_at("endpoint") == "[fd00:ec2::254]:80");
}

TEST_CASE("ordinary connects raise nothing, nor do host processes")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.connect4(wget, {10, 96, 0, 1}, 80));  // the API address, another port
    sensor.host.deliver(sensor.connect4(wget, {10, 96, 0, 2}, 443)); // another address, the API port
    sensor.host.deliver(sensor.connect4(wget, {127, 0, 0, 1}, 8080));
    sensor.host.deliver(sensor.connect4(wget, {169, 254, 169, 253}, 80));
    sensor.host.deliver(sensor.connect4(runc, {10, 96, 0, 1}, 443)); // the host
    sensor.host.deliver(sensor.connect4(runc, {169, 254, 169, 254}, 80));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("known API clients: no API server alert, but the kubelet and metadata rules still apply")
{
    Sensor sensor;
    sensor.host.set_option("known_api_clients", strings({"/usr/local/bin/operator"}));
    sensor.start();
    sensor.host.deliver(sensor.api_connect(operator_process));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.connect4(operator_process, {192, 168, 1, 5}, 10250));
    CHECK(sensor.only_alert().rule == "lateral_movement.kubelet_connect");
}

TEST_CASE("configured endpoints replace the defaults; disabled rules drop theirs from the kernel")
{
    Sensor sensor;
    sensor.host.set_option("kubelet_endpoints", strings({"10.0.0.5:10250"}));
    sensor.host.set_option("disabled_rules", strings({"lateral_movement.metadata_connect"}));
    sensor.start();
    sensor.host.deliver(sensor.connect4(wget, {10, 0, 0, 6}, 10250));
    sensor.host.deliver(sensor.connect4(wget, {169, 254, 169, 254}, 80));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.connect4(wget, {10, 0, 0, 5}, 10250));
    CHECK(sensor.only_alert().rule == "lateral_movement.kubelet_connect");

    REQUIRE(sensor.host.configure_bpf() == 0);
    // API server, kubelet, 2 etcd; the 2 metadata endpoints are not sent to the kernel.
    CHECK(sensor.host.constant<uint32_t>("lateral_movement", "watched_endpoint_count") == 4u);
}

TEST_CASE("the in-cluster API server from the sensor's environment")
{
    setenv("KUBERNETES_SERVICE_HOST", "10.100.0.1", 1);
    setenv("KUBERNETES_SERVICE_PORT", "443", 1);
    Sensor sensor;
    sensor.host.set_option("api_server_from_environment", true);
    sensor.start();
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
    sensor.host.deliver(sensor.connect4(wget, {10, 100, 0, 1}, 443));
    CHECK(sensor.only_alert().rule == "lateral_movement.api_server_connect");
    sensor.host.deliver(sensor.api_connect(wget)); // the configured one still counts
    CHECK(sensor.alerts().size() == 2);
    bool logged = false;
    for (const auto &line : sensor.host.logs()) {
        logged = logged || line.message.find("10.100.0.1:443") != std::string::npos;
    }
    CHECK(logged);
}
