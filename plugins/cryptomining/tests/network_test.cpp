// SPDX-License-Identifier: Apache-2.0
// cryptomining.pool_connect and cryptomining.pool_dns, from the plugin's own records.
#include "test_support.hpp"

using namespace cryptomining_test;

TEST_CASE("a connect to a pool port")
{
    Sensor sensor;
    sensor.start();
    sensor.connect(shell, "198.51.100.7", 3333);
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "cryptomining.pool_connect");
    CHECK(alert.severity == VIGIL_SEVERITY_MEDIUM);
    CHECK(alert.techniques == strings({"T1496.001", "T1496"}));
    CHECK(alert.evidence_at("remote_address") == "198.51.100.7");
    CHECK(alert.evidence_at("remote_port") == "3333");
    CHECK(alert.dedup_key == "198.51.100.7:3333");
    CHECK(alert.event_kind == CRYPTOMINING_KIND_POOL_CONNECT);
}

TEST_CASE("an IPv6 pool connect")
{
    Sensor sensor;
    sensor.start();
    auto record = sensor.host.make_record<cryptomining_connect>(CRYPTOMINING_KIND_POOL_CONNECT, shell);
    record.remote.family = 10;
    record.remote.port = 14444;
    REQUIRE(inet_pton(AF_INET6, "2001:db8::7", record.remote.address) == 1);
    sensor.host.deliver(record);
    CHECK(sensor.only_alert().evidence_at("remote_address") == "2001:db8::7");
}

TEST_CASE("a record for a port that is not configured is not judged")
{
    Sensor sensor;
    sensor.host.set_option_literal("pool_ports", "[\"3333\"]");
    sensor.start();
    sensor.connect(shell, "198.51.100.7", 443);
    sensor.connect(shell, "198.51.100.7", 8080);
    sensor.connect(shell, "198.51.100.7", 4444);
    CHECK(sensor.alerts().empty());
}

TEST_CASE("a DNS query for a pool domain, whichever call carried it")
{
    for (uint16_t syscall : {CRYPTOMINING_SYSCALL_SENDTO, CRYPTOMINING_SYSCALL_SENDMSG, CRYPTOMINING_SYSCALL_SENDMMSG,
                             CRYPTOMINING_SYSCALL_WRITE}) {
        CAPTURE(syscall);
        Sensor sensor;
        sensor.start();
        sensor.dns(shell, dns_query("pool.supportxmr.com"), syscall);
        const auto &alert = sensor.only_alert();
        CHECK(alert.rule == "cryptomining.pool_dns");
        CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
        CHECK(alert.evidence_at("query_name") == "pool.supportxmr.com");
        CHECK(alert.evidence_at("matched_pattern") == "*.supportxmr.com");
        CHECK(alert.evidence_at("query_type") == "A");
        CHECK(alert.evidence_at("server_address") == "10.96.0.10");
        CHECK(alert.evidence_at("server_port") == "53");
        CHECK(alert.evidence_at("transport") == "udp");
        CHECK(alert.dedup_key == "pool.supportxmr.com");
        CHECK(sensor.host.metric("cryptomining_dns_queries") == 1);
    }
}

TEST_CASE("DNS for ordinary names, and payloads that are no query, raise nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.dns(shell, dns_query("example.org"));
    sensor.dns(shell, dns_query("kubernetes.default.svc.cluster.local", 28));
    sensor.dns(shell, dns_query("nanopool.org.attacker.example"));
    sensor.dns(shell, dns_query("notsupportxmr.com"));
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("cryptomining_dns_queries") == 4);
    sensor.dns(shell, std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o'});
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("cryptomining_malformed_records") == 1);
}

TEST_CASE("pool_domains replaces the default list")
{
    Sensor sensor;
    sensor.host.set_option_literal("pool_domains", "[\"*.pool.example\"]");
    sensor.start();
    sensor.dns(shell, dns_query("pool.supportxmr.com"));
    CHECK(sensor.alerts().empty());
    sensor.dns(shell, dns_query("eu.pool.example"));
    CHECK(sensor.only_alert().evidence_at("matched_pattern") == "*.pool.example");
}

TEST_CASE("containers_only drops host processes' network records")
{
    Sensor sensor;
    sensor.host.set_option_literal("containers_only", "true");
    sensor.start();
    sensor.connect(host_tool, "198.51.100.7", 3333);
    sensor.dns(host_tool, dns_query("xmr.nanopool.org"));
    CHECK(sensor.alerts().empty());
}
