// SPDX-License-Identifier: Apache-2.0
// cryptomining.miner_exec, from the core's exec events, through the real cryptomining.so.
#include "test_support.hpp"

using namespace cryptomining_test;

TEST_CASE("xmrig pointed at a stratum pool in a container: critical, T1496.001 and T1496")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(shell, "/tmp/xmrig", {"/tmp/xmrig", "-o", "stratum+tcp://pool.example:3333", "-u", "wallet"});
    const auto &alert = sensor.only_alert();
    CHECK(alert.rule == "cryptomining.miner_exec");
    CHECK(alert.severity == VIGIL_SEVERITY_CRITICAL);
    CHECK(alert.tactics == strings({"TA0040"}));
    CHECK(alert.techniques == strings({"T1496.001", "T1496"}));
    CHECK(alert.evidence_at("exe") == "/tmp/xmrig");
    CHECK(alert.evidence_at("miner_name") == "xmrig");
    CHECK(alert.evidence_at("pool_url") == "stratum+tcp://pool.example:3333");
    CHECK(alert.evidence_at("args_truncated") == "false");
    CHECK(alert.event_kind == VIGIL_KIND_PROCESS_EXEC);
    CHECK(alert.event_tgid == shell);
    CHECK(alert.dedup_key == "/tmp/xmrig|stratum+tcp://pool.example:3333");
}

TEST_CASE("a known miner by name alone is high")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(shell, "/usr/local/bin/cpuminer-opt", {"cpuminer-opt", "-c", "cfg.json"});
    const auto &alert = sensor.only_alert();
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_at("miner_name") == "cpuminer-opt");
    CHECK_FALSE(alert.has_evidence("pool_url"));
}

TEST_CASE("a renamed miner is caught by its arguments")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(shell, "/tmp/.cache/kworker", {"[kworker/0:1]", "--donate-level", "1", "-a", "rx/0"});
    const auto &alert = sensor.only_alert();
    CHECK(alert.severity == VIGIL_SEVERITY_HIGH);
    CHECK(alert.evidence_lists.at("miner_flags") == strings({"--donate-level", "-a=rx/0"}));
    CHECK_FALSE(alert.has_evidence("miner_name"));
}

TEST_CASE("argv[0] set to a miner's name counts")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(shell, "/bin/busybox", {"xmrig"});
    CHECK(sensor.only_alert().evidence_at("miner_name") == "xmrig");
}

TEST_CASE("a miner on the host is resource hijacking too, unless containers_only")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(host_tool, "/opt/xmrig", {"xmrig"});
    CHECK(sensor.only_alert().rule == "cryptomining.miner_exec");

    Sensor containers_only;
    containers_only.host.set_option_literal("containers_only", "true");
    containers_only.start();
    containers_only.exec(host_tool, "/opt/xmrig", {"xmrig"});
    CHECK(containers_only.alerts().empty());
    containers_only.exec(shell, "/opt/xmrig", {"xmrig"});
    CHECK(containers_only.only_alert().rule == "cryptomining.miner_exec");
}

TEST_CASE("truncated arguments are flagged")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(shell, "/tmp/xmrig", {"xmrig", std::string(1100, 'x')}, VIGIL_EXEC_ARGS_TRUNCATED);
    CHECK(sensor.only_alert().evidence_at("args_truncated") == "true");
}

TEST_CASE("ordinary execs raise nothing")
{
    Sensor sensor;
    sensor.start();
    sensor.exec(host_tool, "/usr/bin/less", {"less", "xmrig-notes.txt"});
    sensor.exec(shell, "/bin/gzip", {"gzip", "-9", "/tmp/big"});
    sensor.exec(shell, "/usr/bin/make", {"make", "-j2", "all"});
    sensor.exec(shell, "/bin/ls", {"ls", "-a", "/"});
    sensor.exec(shell, "/usr/bin/curl", {"curl", "-o", "out.html", "https://example.org/"});
    sensor.exec(shell, "/usr/bin/python3", {"python3", "-c", "print('stratum')"});
    sensor.exec(shell, "/bin/busybox", {"httpd", "-f", "-p", "8080"});
    sensor.exec(shell, "/usr/sbin/nginx", {}); // no arguments read
    CHECK(sensor.alerts().empty());
}

TEST_CASE("miner_names replaces the default list; disabled_rules switches the rule off")
{
    Sensor sensor;
    sensor.host.set_option_literal("miner_names", "[\"coinz*\"]");
    sensor.start();
    sensor.exec(shell, "/tmp/xmrig", {"xmrig"});
    CHECK(sensor.alerts().empty());
    sensor.exec(shell, "/tmp/CoinzMiner", {"CoinzMiner"});
    CHECK(sensor.only_alert().evidence_at("miner_name") == "CoinzMiner");

    Sensor disabled;
    disabled.host.set_option_literal("disabled_rules", "[\"cryptomining.miner_exec\"]");
    disabled.start();
    disabled.exec(shell, "/tmp/xmrig", {"xmrig", "-o", "stratum+tcp://p.example:3333"});
    CHECK(disabled.alerts().empty());
}

TEST_CASE("a record too short for an exec is counted, not read")
{
    Sensor sensor;
    sensor.start();
    auto header = sensor.host.header_for(shell, VIGIL_KIND_PROCESS_EXEC, sizeof(vigil_event_header));
    sensor.host.deliver(header);
    CHECK(sensor.alerts().empty());
    CHECK(sensor.host.metric("cryptomining_malformed_records") == 1);
}
