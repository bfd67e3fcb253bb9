// SPDX-License-Identifier: Apache-2.0
// lateral_movement.token_read, through the real lateral_movement.so.
#include "test_support.hpp"

using namespace lateral_movement_test;

TEST_CASE("a shell's cat reads the service-account token")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "lateral_movement.token_read");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.tactics == strings({"TA0006"}));
    CHECK(alert.techniques == strings({"T1552.007"}));
    CHECK(alert.evidence_at("path") == token_path);
    CHECK(alert.evidence_at("token_path") == token_path);
    CHECK(alert.evidence_at("syscall") == "openat");
    CHECK(alert.evidence_at("relative") == "false");
    CHECK(alert.event_tgid == cat);
    CHECK(alert.dedup_key == pod_container_id + ":/bin/cat:" + token_path);
}

TEST_CASE("every spelling of the token path: /run, the kubelet's directories, non-canonical, open and openat2")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(
        sensor.open(cat, "/run/secrets/kubernetes.io/serviceaccount/token", O_RDONLY, LATERAL_SYSCALL_OPEN));
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/..data/token", O_RDONLY,
                                    LATERAL_SYSCALL_OPENAT2));
    sensor.host.deliver(
        sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/..2024_05_01_10_00_00.123456789/token"));
    sensor.host.deliver(sensor.open(cat, "/var//run/secrets/./kubernetes.io/serviceaccount/../serviceaccount/token"));
    REQUIRE(sensor.alerts().size() == 4);
    CHECK(sensor.host.alerts()[0].evidence_at("syscall") == "open");
    CHECK(sensor.host.alerts()[1].evidence_at("syscall") == "openat2");
    CHECK(sensor.host.alerts()[3].evidence_at("token_path") == token_path);
    for (const auto &alert : sensor.host.alerts()) {
        CHECK(alert.rule == "lateral_movement.token_read");
    }
}

TEST_CASE("relative reads after cd into the folder")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.relative_open(cat, "token", "serviceaccount", "kubernetes.io"));
    sensor.host.deliver(sensor.relative_open(cat, "token", "..data_target", "serviceaccount", true));
    REQUIRE(sensor.alerts().size() == 2);
    const auto &cwd = sensor.host.alerts()[0];
    CHECK(cwd.rule == "lateral_movement.token_read");
    CHECK(cwd.evidence_at("path") == "token");
    CHECK(cwd.evidence_at("token_path") == "kubernetes.io/serviceaccount/token");
    CHECK(cwd.evidence_at("relative") == "true");
    CHECK(cwd.evidence_at("relative_to") == "working directory");
    CHECK(sensor.host.alerts()[1].evidence_at("relative_to") == "dirfd");
}

TEST_CASE("reads that raise nothing: ca.crt, namespace, look-alikes, the host, other folders")
{
    Sensor sensor;
    sensor.start();
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"));
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/namespace"));
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/..data/namespace"));
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/kubernetes.io/serviceaccount/token.old"));
    sensor.host.deliver(sensor.open(cat, "/srv/app/token"));
    sensor.host.deliver(sensor.relative_open(cat, "ca.crt", "serviceaccount", "kubernetes.io"));
    sensor.host.deliver(sensor.relative_open(cat, "token", "app", "srv"));
    sensor.host.deliver(sensor.open(runc, token_path));                         // the host: not a container
    sensor.host.deliver(sensor.open(cat, std::string(LATERAL_PATH_SIZE, 'a'))); // no NUL
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a known API client reads the token without an alert, and is counted")
{
    Sensor sensor;
    sensor.host.set_option("known_api_clients", strings({"/usr/local/bin/operator", "*/kube-*"}));
    sensor.start();
    sensor.host.deliver(sensor.open(operator_process, token_path));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("lateral_movement_known_client_findings") == 1);
    // The list names executables, not containers: cat in the same pod still alerts.
    sensor.host.deliver(sensor.open(cat, token_path));
    CHECK(sensor.only_alert().rule == "lateral_movement.token_read");
}

TEST_CASE("configured token paths replace the defaults")
{
    Sensor sensor;
    sensor.host.set_option("token_paths", strings({"/var/run/secrets/tokens/*"}));
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    CHECK(sensor.alerts().empty());
    sensor.host.deliver(sensor.open(cat, "/var/run/secrets/tokens/vault-token"));
    CHECK(sensor.only_alert().evidence_at("token_path") == "/var/run/secrets/tokens/vault-token");
}

TEST_CASE("a disabled token_read rule raises nothing")
{
    Sensor sensor;
    sensor.host.set_option("disabled_rules", strings({"lateral_movement.token_read"}));
    sensor.start();
    sensor.host.deliver(sensor.open(cat, token_path));
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a record too short for its kind is counted, not read")
{
    Sensor sensor;
    sensor.start();
    auto record = sensor.open(cat, token_path);
    std::vector<unsigned char> bytes(sizeof(vigil_event_header) + 4);
    std::memcpy(bytes.data(), &record, bytes.size());
    CHECK(sensor.host.deliver_bytes(bytes) == 0);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("lateral_movement_malformed_records") == 1);
}
