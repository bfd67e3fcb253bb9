# SPDX-License-Identifier: Apache-2.0
"""The lateral_movement detector on the real kernel: token reads and connects
to the API server, the kubelet, etcd and the metadata service from runc
containers in the kubelet's cgroup layout; the correlated alert; and ordinary
work that must raise nothing."""

import pytest

from alerts import Match, ancestry_exes, container_id, describe, pod_uid, technique_ids
from lateral_movement_behaviours import (API_ADDRESS, API_PORT, KNOWN_CLIENT, KNOWN_CLIENT_CONFIG, PROBER,
                                         SENSOR_CONFIG, SERVICE_ACCOUNT_DIR, TOKEN, make_service_account_volume,
                                         run, service_account_bind)
from programs import executable_problem, program_path
from sensor import Sensor, deep_merge

PLUGIN = "lateral_movement"


@pytest.fixture(scope="module")
def lateral_sensor(build_dir, tmp_path_factory):
    """One sensor for the module: the API server address, the prober as a known client."""
    with Sensor(build_dir, tmp_path_factory.mktemp("lateral-sensor"), KNOWN_CLIENT_CONFIG) as sensor:
        yield sensor


@pytest.fixture(scope="module")
def prober_rootfs(rootfs, build_dir, tmp_path_factory):
    program = program_path(build_dir, "prober")
    problem = executable_problem(program)
    if problem:
        pytest.fail(problem)
    return rootfs.with_files(tmp_path_factory.mktemp("prober-rootfs") / "root",
                             {PROBER: program, KNOWN_CLIENT: program})


@pytest.fixture
def pod(container_factory, prober_rootfs, tmp_path):
    """make(**Container options) -> a started container with the fake service-account volume."""
    def make(**options):
        volume = make_service_account_volume(tmp_path / f"serviceaccount-{len(list(tmp_path.iterdir()))}")
        return container_factory(rootfs=prober_rootfs, binds=[service_account_bind(volume)], **options)
    return make


def assert_attributed(alert, container, technique):
    assert technique in technique_ids(alert), f"expected {technique}: {describe(alert)}"
    assert container_id(alert) == container.id, describe(alert)
    assert pod_uid(alert) == container.pod_uid, describe(alert)


# (name, shell command, rule, technique)
BEHAVIOURS = [
    ("cat-token", f"cat {TOKEN} > /dev/null", "token_read", "T1552.007"),
    ("cd-then-cat", f"cd {SERVICE_ACCOUNT_DIR} && cat token > /dev/null", "token_read", "T1552.007"),
    ("kubelet-data-dir", f"cat {SERVICE_ACCOUNT_DIR}/..data/token > /dev/null", "token_read", "T1552.007"),
    ("non-canonical", f"cat /var//run/secrets/./kubernetes.io/serviceaccount/../serviceaccount/token >/dev/null",
     "token_read", "T1552.007"),
    ("openat2", f"{PROBER} read2 {TOKEN}", "token_read", "T1552.007"),
    ("dirfd", f"{PROBER} read-at {SERVICE_ACCOUNT_DIR} token", "token_read", "T1552.007"),
    ("api-wget", f"wget -q -O /dev/null http://{API_ADDRESS}:{API_PORT}/api; true", "api_server_connect",
     "T1613"),
    ("api-v4-mapped", f"{PROBER} connect-mapped {API_ADDRESS} {API_PORT}", "api_server_connect", "T1552.007"),
    ("kubelet", f"{PROBER} connect 10.0.0.1 10250", "kubelet_connect", "T1613"),
    ("kubelet-read-only", "wget -q -O /dev/null http://10.0.0.1:10255/pods; true", "kubelet_connect",
     "T1552.007"),
    ("etcd", f"{PROBER} connect 10.0.0.2 2379", "etcd_connect", "T1552.007"),
    ("etcd-peer", "nc -w 1 10.0.0.2 2380 < /dev/null; true", "etcd_connect", "T1613"),
    ("metadata", "wget -q -O /dev/null http://169.254.169.254/latest/meta-data/; true", "metadata_connect",
     "T1552.005"),
    ("metadata-v6", f"{PROBER} connect fd00:ec2::254 80", "metadata_connect", "T1552.005"),
]


@pytest.mark.parametrize("command, rule, technique", [entry[1:] for entry in BEHAVIOURS],
                         ids=[entry[0] for entry in BEHAVIOURS])
# busybox 1.35's wget crashes before connecting when given -T: the commands leave the timeout out
# (there is no route, so the connect fails at once anyway).
def test_behaviour_raises_its_alert(lateral_sensor, pod, command, rule, technique):
    container = pod()
    run(container, command)
    alert = lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.{rule}", container=container))
    assert_attributed(alert, container, technique)
    assert any(exe.endswith("sh") for exe in ancestry_exes(alert)), f"no shell in the ancestry: {describe(alert)}"


def test_token_read_then_connect_by_a_shells_children_is_one_correlated_alert(lateral_sensor, pod):
    container = pod()
    run(container, f"cat {TOKEN} > /tmp/t; wget -q -O /dev/null "
                   f"--header \"Authorization: Bearer $(cat /tmp/t)\" http://{API_ADDRESS}:{API_PORT}/api; true")
    alert = lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_then_api_connect", container=container))
    assert_attributed(alert, container, "T1552.007")
    assert "T1613" in technique_ids(alert), describe(alert)
    assert alert["severity"] == "high", describe(alert)
    assert alert["evidence"]["token_path"] == TOKEN
    assert alert["evidence"]["api_endpoint"] == f"{API_ADDRESS}:{API_PORT}"
    assert alert["evidence"]["token_reader_comm"] == "cat", describe(alert)
    assert alert["evidence"]["connector_comm"] == "wget", describe(alert)
    # The connect that completed the pair is not also an api_server_connect alert.
    lateral_sensor.assert_no_alert(Match(rule=f"{PLUGIN}.api_server_connect", container=container), settle=1.0)


def test_one_process_that_reads_and_connects_is_correlated(lateral_sensor, pod):
    container = pod()
    run(container, f"{PROBER} read-then-connect {TOKEN} {API_ADDRESS} {API_PORT}")
    alert = lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_then_api_connect", container=container))
    assert alert["evidence"]["token_reader_pid"] == alert["evidence"]["connector_pid"], describe(alert)


def test_two_separate_execs_are_not_one_process_tree(lateral_sensor, pod):
    container = pod()
    run(container, f"cat {TOKEN} > /dev/null")
    lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_read", container=container))
    run(container, f"{PROBER} connect {API_ADDRESS} {API_PORT}")
    lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.api_server_connect", container=container))
    lateral_sensor.assert_no_alert(Match(rule=f"{PLUGIN}.token_then_api_connect", container=container), settle=1.0)


# What a workload does all day; each must succeed and none may alert.
ORDINARY_WORK = {
    "web server on localhost": "ip link set lo up && mkdir -p /www && echo hello > /www/index.html && "
                               "httpd -p 127.0.0.1:8080 -h /www && "
                               "for i in 1 2 3; do wget -q -O - http://127.0.0.1:8080/index.html | grep -q hello; "
                               "done",
    "config script": "printf 'port=8080\\nname=app\\n' > /tmp/app.conf && "
                     "while IFS='=' read key value; do echo \"$key -> $value\" > /dev/null; done < /tmp/app.conf "
                     "&& cat /etc/passwd /etc/group > /dev/null",
    "ca.crt and namespace": f"cat {SERVICE_ACCOUNT_DIR}/ca.crt {SERVICE_ACCOUNT_DIR}/namespace > /dev/null && "
                            f"cd {SERVICE_ACCOUNT_DIR} && cat ca.crt namespace ..data/ca.crt > /dev/null && ls -la",
    "known API client": f"{KNOWN_CLIENT} read {TOKEN} && {KNOWN_CLIENT} connect {API_ADDRESS} {API_PORT} && "
                        f"{KNOWN_CLIENT} read-then-connect {TOKEN} {API_ADDRESS} {API_PORT}",
    "ordinary connects": f"{PROBER} connect 10.96.0.2 443 && {PROBER} connect {API_ADDRESS} 80 && "
                         f"{PROBER} connect 169.254.169.253 80",
}


def test_ordinary_work_raises_nothing_but_a_token_read_does(lateral_sensor, pod):
    mark = lateral_sensor.alert_count()
    # ip link needs CAP_NET_ADMIN inside the pod's own network namespace, as an init container would have it.
    container = pod(capabilities=["CAP_NET_ADMIN"])
    for name, command in ORDINARY_WORK.items():
        completed = container.exec(["/bin/sh", "-c", command], timeout=60)
        assert completed.returncode == 0, f"{name} failed: {completed.stdout}{completed.stderr}"
    ours = Match(plugin=PLUGIN, container=container)
    lateral_sensor.assert_no_alert(ours, settle=2.0, since=mark)

    run(container, f"cat {TOKEN} > /dev/null")
    lateral_sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_read", container=container), since=mark)


def test_done_when_default_config_with_the_api_server_correlates(sensor_factory, pod):
    """The API server address configured, every other option at its default."""
    sensor = sensor_factory(SENSOR_CONFIG)
    container = pod()
    run(container, f"cat {TOKEN} > /tmp/t && {PROBER} connect {API_ADDRESS} {API_PORT}")
    alert = sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_then_api_connect", container=container))
    assert {"T1552.007", "T1613"} <= technique_ids(alert), describe(alert)
    assert pod_uid(alert) == container.pod_uid


def test_without_tracepoints_the_raw_tracepoint_fallback_still_detects(sensor_factory, pod):
    sensor = sensor_factory(deep_merge(SENSOR_CONFIG, {"sensor": {"disabled_attach_types": ["tp"]}}))
    assert "lateral_movement/lateral_movement: sys_enter_raw (raw_tp/sys_enter) attached" in sensor.stderr_text(), \
        sensor.stderr_tail()
    container = pod()
    run(container, f"cat {TOKEN} > /dev/null && {PROBER} connect 10.0.0.1 10250")
    sensor.wait_for_alert(Match(rule=f"{PLUGIN}.token_read", container=container))
    sensor.wait_for_alert(Match(rule=f"{PLUGIN}.kubelet_connect", container=container))
