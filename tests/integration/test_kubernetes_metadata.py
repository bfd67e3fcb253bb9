# SPDX-License-Identifier: Apache-2.0
"""Pod and workload metadata from the Kubernetes API on container alerts.

A fake API server (receivers/kube_api.py) reports pods whose containerStatuses
carry the ids of real runc containers in the kubelet's cgroup layout, and
whose UIDs are those of the containers' pod cgroups. The sensor watches the
pods of its node (its [sensor] node_name, which the fake's fieldSelector
check insists on) and puts what it learned on the alerts: at once for a known
pod, after a wait for a pod the API reports only after its container acted,
and marked unresolved for a pod never reported.
"""

import secrets
import time

import pytest

from alerts import Match, describe
from injector import CONTAINER_OPTIONS, SENSOR_CONFIG, run_behaviour
from receivers.kube_api import KubeApiReceiver, pod_object
from sensor import Sensor, deep_merge

RULE = "injection.ptrace_attach"
# Long enough for a pod added half a second after its container acted; short
# enough for the test of a pod never reported.
WAIT_MS = 3000
NODE = "vigil-test-node-" + secrets.token_hex(3)


@pytest.fixture(scope="module")
def kube_api():
    with KubeApiReceiver(node_name=NODE) as api:
        yield api
        assert not api.errors, "\n".join(api.errors)


@pytest.fixture(scope="module")
def k8s_sensor(build_dir, tmp_path_factory, kube_api):
    config = deep_merge(SENSOR_CONFIG, {
        "sensor": {"node_name": NODE},
        "kubernetes": {"api_server": kube_api.url, "token_file": str(kube_api.token_file),
                       "ca_file": kube_api.ca_file, "unresolved_wait_ms": WAIT_MS,
                       "labels": ["app", "team"]},
    })
    with Sensor(build_dir, tmp_path_factory.mktemp("k8s-sensor"), config) as sensor:
        deadline = time.monotonic() + 15
        while not sensor.stderr_lines_with("kubernetes: listed"):
            assert time.monotonic() < deadline, sensor.stderr_tail()
            time.sleep(0.05)
        kube_api.wait_for_watches(1)
        yield sensor


def deployment_pod(container, name, template_hash="5d8f7c9b6"):
    return pod_object(f"{name}-{template_hash}-x7k2p", "shop", container.pod_uid, NODE,
                      container_ids=[container.id], service_account=f"{name}-sa",
                      labels={"app": name, "team": "payments", "pod-template-hash": template_hash,
                              "unlisted": "left-out"},
                      owner=("ReplicaSet", f"{name}-{template_hash}"))


def wait_for_alert_fast(sensor, container, timeout):
    """The container's alert and when it was first seen in the file (polled
    every 5 ms, for the latency measurement)."""
    deadline = time.monotonic() + timeout
    match = Match(rule=RULE, container=container)
    while True:
        for alert in sensor.alerts():
            if match(alert):
                return alert, time.monotonic()
        assert sensor.running(), sensor.stderr_tail()
        assert time.monotonic() < deadline, f"no {match!r} within {timeout}s:\n{sensor.stderr_tail(40)}"
        time.sleep(0.005)


def wait_until_sent(api, uid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while api.sent_time("ADDED", uid) is None:
        assert time.monotonic() < deadline, f"the fake never sent pod {uid}; requests: {api.requests[-10:]}"
        time.sleep(0.01)
    time.sleep(0.2)  # the sensor reads the event


def assert_enriched(alert, container, name, template_hash="5d8f7c9b6"):
    k8s = alert["k8s"]
    assert k8s["source"] == "api", describe(alert)
    assert k8s["pod"] == f"{name}-{template_hash}-x7k2p", k8s
    assert k8s["namespace"] == "shop", k8s
    assert k8s["pod_uid"] == container.pod_uid, k8s
    assert k8s["node"] == NODE, k8s
    assert k8s["service_account"] == f"{name}-sa", k8s
    assert k8s["workload"] == {"kind": "Deployment", "name": name, "template_hash": template_hash}, k8s
    assert k8s["labels"] == {"app": name, "team": "payments"}, k8s


def test_known_pod_alert_names_pod_and_deployment(k8s_sensor, kube_api, injector_rootfs, container_factory):
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    kube_api.add_owner("ReplicaSet", "shop", "web-5d8f7c9b6", controller=("Deployment", "web"))
    kube_api.add_pod(deployment_pod(container, "web"))
    wait_until_sent(kube_api, container.pod_uid)

    run_behaviour(container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, container, timeout=10)
    assert_enriched(alert, container, "web")
    assert alert["container"]["id"] == container.id


def test_pod_reported_after_its_container_acted_is_held_then_enriched(k8s_sensor, kube_api, injector_rootfs,
                                                                      container_factory):
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    kube_api.add_owner("ReplicaSet", "shop", "late-5d8f7c9b6", controller=("Deployment", "late"))
    acted = time.monotonic()
    run_behaviour(container, "ptrace attach")
    time.sleep(0.5)
    # Held, not sent unresolved: nothing for this container yet.
    assert not [a for a in k8s_sensor.alerts() if Match(rule=RULE, container=container)(a)]
    kube_api.add_pod(deployment_pod(container, "late"))

    alert, seen = wait_for_alert_fast(k8s_sensor, container, timeout=10)
    added = kube_api.sent_time("ADDED", container.pod_uid)
    assert added is not None
    assert_enriched(alert, container, "late")
    latency_ms = (seen - added) * 1000
    print(f"\nADDED event sent -> held alert enriched in the output: {latency_ms:.1f} ms "
          f"(container acted {(added - acted) * 1000:.0f} ms before the ADDED)", flush=True)
    assert latency_ms < WAIT_MS


def test_pod_never_reported_is_sent_unresolved_after_the_wait(k8s_sensor, kube_api, injector_rootfs,
                                                              container_factory):
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    started = time.monotonic()
    run_behaviour(container, "ptrace attach")
    alert, seen = wait_for_alert_fast(k8s_sensor, container, timeout=WAIT_MS / 1000 + 10)
    assert alert["k8s"]["source"] == "unresolved", describe(alert)
    assert alert["k8s"]["pod_uid"] == container.pod_uid  # the cgroup's fields stay
    assert "pod" not in alert["k8s"]
    assert seen - started >= WAIT_MS / 1000 * 0.9


def test_expired_watch_relists_and_later_pods_resolve(k8s_sensor, kube_api, injector_rootfs, container_factory):
    lists = kube_api.list_count
    kube_api.expire_watches()
    deadline = time.monotonic() + 10
    while not k8s_sensor.stderr_lines_with("kubernetes: relisted"):
        assert time.monotonic() < deadline, k8s_sensor.stderr_tail()
        time.sleep(0.05)
    assert kube_api.list_count == lists + 1
    assert k8s_sensor.stderr_lines_with("resourceVersion expired")

    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    kube_api.add_owner("ReplicaSet", "shop", "after-410-5d8f7c9b6", controller=("Deployment", "after-410"))
    kube_api.add_pod(deployment_pod(container, "after-410"))
    wait_until_sent(kube_api, container.pod_uid)
    run_behaviour(container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, container, timeout=10)
    assert_enriched(alert, container, "after-410")


def test_dropped_stream_reconnects_and_later_pods_resolve(k8s_sensor, kube_api, injector_rootfs,
                                                          container_factory):
    watches = kube_api.watch_count
    lost_before = len(k8s_sensor.stderr_lines_with("kubernetes: lost the pod watch"))
    lists = kube_api.list_count
    kube_api.refuse_watches(2)  # the first reconnects fail: the watcher backs off and tries again
    kube_api.drop_streams()
    kube_api.wait_for_watches(watches + 3, timeout=20)
    assert k8s_sensor.stderr_lines_with("kubernetes: lost the pod watch")

    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    kube_api.add_owner("ReplicaSet", "shop", "after-drop-5d8f7c9b6", controller=("Deployment", "after-drop"))
    kube_api.add_pod(deployment_pod(container, "after-drop"))
    wait_until_sent(kube_api, container.pod_uid)
    run_behaviour(container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, container, timeout=10)
    assert_enriched(alert, container, "after-drop")
    assert k8s_sensor.stderr_lines_with("watching the pods of node")
    # Logged once for the drop and its two refused retries, not once per retry;
    # resumed from the last resourceVersion, not relisted.
    assert len(k8s_sensor.stderr_lines_with("kubernetes: lost the pod watch")) == lost_before + 1
    assert kube_api.list_count == lists


def wait_until_sent_count(api, kind, uid, count, timeout=10.0):
    deadline = time.monotonic() + timeout
    while api.sent_count(kind, uid) < count:
        assert time.monotonic() < deadline, f"the fake sent {api.sent_count(kind, uid)} {kind} of {uid}"
        time.sleep(0.01)
    time.sleep(0.2)  # the sensor reads the events


def test_pods_first_seen_by_watch_get_their_cronjob_and_deployment(k8s_sensor, kube_api, injector_rootfs,
                                                                   container_factory):
    """Pods the sensor hears of only through the watch (it listed long
    before): their owners are fetched from the API while the watch stream is
    being read, once per owner however many events and pods refer to it."""
    lists = kube_api.list_count
    job_container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    web_container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    job_name = "report-29000000"
    job_path = f"/apis/batch/v1/namespaces/shop/jobs/{job_name}"
    replicaset_path = "/apis/apps/v1/namespaces/shop/replicasets/watched-5d8f7c9b6"
    kube_api.add_owner("Job", "shop", job_name, controller=("CronJob", "report"))
    kube_api.add_owner("ReplicaSet", "shop", "watched-5d8f7c9b6", controller=("Deployment", "watched"))

    job_pod = pod_object(f"{job_name}-q8r4t", "shop", job_container.pod_uid, NODE,
                         container_ids=[job_container.id], service_account="report-sa",
                         labels={"app": "report", "team": "finance"}, owner=("Job", job_name))
    web_pod = deployment_pod(web_container, "watched")
    # Another pod of the same ReplicaSet, without a container of its own here.
    sibling = pod_object("watched-5d8f7c9b6-m2n3b", "shop", secrets.token_hex(8), NODE,
                         labels={"app": "watched"}, owner=("ReplicaSet", "watched-5d8f7c9b6"))
    for pod in (job_pod, web_pod, sibling):
        kube_api.add_pod(pod)
    # Status updates, as the kubelet makes them while the containers start.
    updates = 3
    for _ in range(updates):
        kube_api.modify_pod(job_pod)
        kube_api.modify_pod(web_pod)
    wait_until_sent_count(kube_api, "MODIFIED", job_container.pod_uid, updates)
    wait_until_sent_count(kube_api, "MODIFIED", web_container.pod_uid, updates)
    assert kube_api.list_count == lists  # heard of through the watch, not a list
    fetched = {job_path: kube_api.count(job_path), replicaset_path: kube_api.count(replicaset_path)}
    print(f"\nowner GETs that reached the API server after {1 + updates} events per pod: {fetched}", flush=True)

    run_behaviour(job_container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, job_container, timeout=10)
    k8s = alert["k8s"]
    assert k8s["source"] == "api", describe(alert)
    assert k8s["pod"] == f"{job_name}-q8r4t", k8s
    assert k8s["workload"]["kind"] == "CronJob" and k8s["workload"]["name"] == "report", k8s

    run_behaviour(web_container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, web_container, timeout=10)
    assert_enriched(alert, web_container, "watched")

    # Once per owner: not for each of the 1 + 3 events of each pod, nor for the sibling.
    fetched = {job_path: kube_api.count(job_path), replicaset_path: kube_api.count(replicaset_path)}
    assert fetched == {job_path: 1, replicaset_path: 1}, kube_api.requests[-20:]
    assert not k8s_sensor.stderr_lines_with("Failed initialization")


def test_replicaset_not_readable_falls_back_to_the_name(k8s_sensor, kube_api, injector_rootfs, container_factory):
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    kube_api.add_pod(deployment_pod(container, "noaccess"))  # no ReplicaSet served: 404
    wait_until_sent(kube_api, container.pod_uid)
    run_behaviour(container, "ptrace attach")
    alert, _ = wait_for_alert_fast(k8s_sensor, container, timeout=10)
    assert_enriched(alert, container, "noaccess")


def test_without_an_api_server_alerts_say_cgroup(sensor_factory, injector_rootfs, container_factory):
    sensor = sensor_factory(deep_merge(SENSOR_CONFIG, {"kubernetes": {"api_server": "none"}}))
    assert sensor.stderr_lines_with("kubernetes: no API server")
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)
    run_behaviour(container, "ptrace attach")
    alert = sensor.wait_for_alert(Match(rule=RULE, container=container))
    assert alert["k8s"]["source"] == "cgroup", describe(alert)
    assert alert["k8s"]["pod_uid"] == container.pod_uid
