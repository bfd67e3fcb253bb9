# SPDX-License-Identifier: Apache-2.0
"""Cryptocurrency mining in kubelet-style containers: each behaviour raises its
cryptomining alert, attributed to its container and pod, with T1496.001
(Compute Hijacking) and its parent T1496; ordinary work raises none."""

import pytest

from alerts import Match, ancestry_exes, container_id, describe, pod_uid, technique_ids
from cryptomining_behaviours import (FAST_CPU_OPTIONS, connect_pool, dns_query, isolated_plugin_dir, miner_files,
                                     run, spin, start_miner)
from sensor import Sensor

TECHNIQUE = "T1496.001"
PARENT_TECHNIQUE = "T1496"


def sensor_config(plugin_options: dict) -> dict:
    # Every alert is sent (no deduplication): each test looks for its own.
    return {"plugins": {"cryptomining": plugin_options}, "alerts": {"dedup_window_s": 0}}


@pytest.fixture(scope="module")
def plugin_dir(build_dir, tmp_path_factory):
    return isolated_plugin_dir(build_dir, tmp_path_factory.mktemp("cryptomining-plugins") / "plugins")


@pytest.fixture(scope="module")
def default_sensor(build_dir, plugin_dir, tmp_path_factory):
    """The plugin at its defaults, as shipped."""
    with Sensor(build_dir, tmp_path_factory.mktemp("cryptomining-default"), sensor_config({}), plugin_dir) as sensor:
        yield sensor


@pytest.fixture(scope="module")
def fast_cpu_sensor(build_dir, plugin_dir, tmp_path_factory):
    """The plugin with a CPU window of seconds instead of a minute."""
    with Sensor(build_dir, tmp_path_factory.mktemp("cryptomining-fast-cpu"), sensor_config(FAST_CPU_OPTIONS),
                plugin_dir) as sensor:
        yield sensor


@pytest.fixture(scope="module")
def miner_rootfs(rootfs, build_dir, tmp_path_factory):
    return rootfs.with_files(tmp_path_factory.mktemp("miner-rootfs") / "root", miner_files(build_dir))


def check_attribution(alert, container, rule):
    assert alert["rule"] == rule, describe(alert)
    assert {TECHNIQUE, PARENT_TECHNIQUE} <= technique_ids(alert), describe(alert)
    assert [tactic["id"] for tactic in alert["mitre"]["tactics"]] == ["TA0040"], describe(alert)
    assert container_id(alert) == container.id, describe(alert)
    assert pod_uid(alert) == container.pod_uid, describe(alert)


def test_xmrig_with_a_stratum_pool_on_the_default_config(default_sensor, miner_rootfs, container_factory):
    """The 'done when' scenario: exec of a binary named xmrig with -o stratum+tcp://..."""
    container = container_factory(rootfs=miner_rootfs)
    start_miner(container)

    alert = default_sensor.wait_for_alert(Match(rule="cryptomining.miner_exec", technique=TECHNIQUE,
                                                container=container))
    check_attribution(alert, container, "cryptomining.miner_exec")
    assert alert["severity"] == "critical", describe(alert)
    evidence = alert["evidence"]
    assert evidence["miner_name"] == "xmrig"
    assert evidence["pool_url"] == "stratum+tcp://pool.example:3333"
    assert evidence["miner_flags"] == ["--donate-level"]
    assert alert["process"]["exe"] == "/usr/local/bin/xmrig", describe(alert)
    assert any(exe.endswith("sh") for exe in ancestry_exes(alert)), f"no shell in the ancestry: {describe(alert)}"

    # The shell and the runtime carried the same words in one -c string: they are not miners.
    def not_the_miner(candidate):
        return (Match(rule="cryptomining.miner_exec", container=container)(candidate)
                and candidate["process"]["exe"] != "/usr/local/bin/xmrig")
    default_sensor.assert_no_alert(not_the_miner, settle=1.0)


@pytest.mark.parametrize("port", [3333, 14444])
def test_connect_to_a_pool_port(default_sensor, miner_rootfs, container_factory, port):
    container = container_factory(rootfs=miner_rootfs)
    connect_pool(container, port)

    alert = default_sensor.wait_for_alert(Match(rule="cryptomining.pool_connect", container=container))
    check_attribution(alert, container, "cryptomining.pool_connect")
    assert alert["evidence"]["remote_port"] == port
    assert alert["evidence"]["remote_address"] == "10.0.0.1"
    assert alert["process"]["exe"] == "/miner_sim", describe(alert)


# write() is not hooked (see plugins/cryptomining/README.md): busybox's
# nslookup, which connects and then writes, is therefore not among these.
DNS_CALLS = ["sendto", "send", "sendmsg", "sendmmsg"]


@pytest.mark.parametrize("how", DNS_CALLS)
def test_dns_query_for_a_pool_domain(default_sensor, miner_rootfs, container_factory, how):
    container = container_factory(rootfs=miner_rootfs)
    name = f"{how}.pool.supportxmr.com"
    dns_query(container, how, name)

    alert = default_sensor.wait_for_alert(Match(rule="cryptomining.pool_dns", container=container))
    check_attribution(alert, container, "cryptomining.pool_dns")
    evidence = alert["evidence"]
    assert evidence["query_name"] == name
    assert evidence["matched_pattern"] == "*.supportxmr.com"
    assert evidence["server_address"] == "127.0.0.1" and evidence["server_port"] == 53
    # send() is sendto() without an address.
    expected_call = {"send": "sendto"}.get(how, how)
    assert evidence["syscall"] == expected_call, describe(alert)


def test_sustained_cpu_over_the_configured_window(fast_cpu_sensor, miner_rootfs, container_factory):
    container = container_factory(rootfs=miner_rootfs)
    # One core for longer than the 4 s window, plus the samples that find it.
    spin(container, 10)

    alert = fast_cpu_sensor.wait_for_alert(Match(rule="cryptomining.sustained_cpu", container=container),
                                           timeout=10)
    check_attribution(alert, container, "cryptomining.sustained_cpu")
    evidence = alert["evidence"]
    assert float(evidence["cores"]) >= 0.5, describe(alert)
    assert evidence["window_s"] == 4
    assert evidence["exe"] == "/miner_sim"
    assert alert["process"]["cmdline"] == "/miner_sim spin 10", describe(alert)


ORDINARY_WORK = {
    "web server": "httpd -p 127.0.0.1:8080 -h /etc && wget -q -O /dev/null http://127.0.0.1:8080/passwd "
                  "&& wget -q -O /dev/null http://127.0.0.1:8080/group",
    "shell reading its config": "while read -r line; do : \"$line\"; done < /etc/passwd && cat /etc/group > /dev/null",
    # 40 MB of random bytes: gzip -9 keeps a core busy for a second or two, far below the default window.
    "compression burst": "dd if=/dev/urandom of=/tmp/data bs=1M count=40 2>/dev/null && gzip -9 /tmp/data "
                         "&& gunzip -t /tmp/data.gz && rm /tmp/data.gz",
    "DNS for ordinary names": "/miner_sim dns sendto 127.0.0.1 example.org && /miner_sim dns send 127.0.0.1 "
                              "kubernetes.default.svc.cluster.local && { nslookup example.com 127.0.0.1; true; }",
    "connects to ordinary ports": "/miner_sim connect 10.0.0.1 443 && /miner_sim connect 127.0.0.1 8080",
    "a file named after a miner": "echo notes > /tmp/xmrig-notes.txt && cat /tmp/xmrig-notes.txt "
                                  "&& ls -a /tmp > /dev/null",
}


def from_container(container):
    def predicate(alert):
        return alert.get("plugin") == "cryptomining" and (container_id(alert) == container.id
                                                          or pod_uid(alert) == container.pod_uid)
    predicate.__name__ = f"cryptomining_alert_from({container.name})"
    return predicate


def test_ordinary_work_raises_nothing_but_a_miner_does(default_sensor, miner_rootfs, container_factory):
    mark = default_sensor.alert_count()
    container = container_factory(rootfs=miner_rootfs)
    for name, command in ORDINARY_WORK.items():
        completed = container.exec(["/bin/sh", "-c", command], timeout=60)
        assert completed.returncode == 0, f"{name} failed: {completed.stdout}{completed.stderr}"
    default_sensor.assert_no_alert(from_container(container), settle=3.0, since=mark)
    # No alert about the runtime either: runc started the container and ran every exec.
    default_sensor.assert_no_alert(lambda alert: alert.get("plugin") == "cryptomining" and
                                   "runc" in (alert.get("process") or {}).get("exe", ""), settle=0.1, since=mark)

    start_miner(container)
    default_sensor.wait_for_alert(Match(rule="cryptomining.miner_exec", container=container), since=mark)


def test_busy_benign_work_under_the_fast_cpu_sensor_stays_quiet_when_short(fast_cpu_sensor, miner_rootfs,
                                                                          container_factory):
    """Under the short window, a burst shorter than the window is still not reported."""
    mark = fast_cpu_sensor.alert_count()
    container = container_factory(rootfs=miner_rootfs)
    run(container, "/miner_sim spin 1.5")
    fast_cpu_sensor.assert_no_alert(from_container(container), settle=4.0, since=mark)


def test_without_syscall_tracepoints_the_raw_tracepoint_fallback_still_detects(build_dir, plugin_dir, tmp_path,
                                                                               miner_rootfs, container_factory):
    config = sensor_config({})
    config["sensor"] = {"disabled_attach_types": ["tp"]}
    with Sensor(build_dir, tmp_path / "sensor", config, plugin_dir) as sensor:
        log = sensor.stderr_text()
        assert "cryptomining/cryptomining: sys_enter_raw (raw_tp/sys_enter) attached" in log, sensor.stderr_tail()
        container = container_factory(rootfs=miner_rootfs)
        connect_pool(container, 3333)
        sensor.wait_for_alert(Match(rule="cryptomining.pool_connect", container=container))
        for how in ("sendto", "sendmmsg"):
            mark = sensor.alert_count()
            dns_query(container, how, f"{how}.xmr.nanopool.org")
            alert = sensor.wait_for_alert(Match(rule="cryptomining.pool_dns", container=container), since=mark)
            assert alert["evidence"]["query_name"] == f"{how}.xmr.nanopool.org", describe(alert)
            assert alert["evidence"]["syscall"] == how, describe(alert)
