# SPDX-License-Identifier: Apache-2.0
"""Behavioural baselines (plugins/drift) in real runc containers.

A fake API server reports each container's pod as a Deployment's replica
(ReplicaSet "web-<hash>" owned by Deployment "web"), so every container of a
test feeds the profile "shop/Deployment/web/c0". Learning takes seconds here
(learning_min_s, learning_quiet_s), so a profile becomes stable within a test.
"""

import json
import secrets
import subprocess
import time

import pytest

import drift_workloads
from alerts import Match, describe_all
from containers import Rootfs
from cryptomining_behaviours import MINER_SIM, miner_files
from receivers.kube_api import KubeApiReceiver, pod_object
from sensor import Sensor
from vigil_binary import run_vigil

NODE = "vigil-drift-node-" + secrets.token_hex(3)
PROFILE = "shop/Deployment/web/c0"
# Stable after 3 s of learning and then 2 s with nothing new.
DRIFT_OPTIONS = {"learning_min_s": 3, "learning_quiet_s": 2, "learning_max_s": 60, "relearn_s": 6,
                 "metadata_wait_s": 3, "save_interval_s": 1}
# What the workload does, again and again: an exec, a write, a sensitive read, a listen, a connect,
# and DNS queries (miner_sim's, by sendto and by send on a socket connected to :53; nothing answers).
ROUTINE = ("cat /etc/hostname >/dev/null; echo data >/tmp/data; "
           "(nc -l -p 8080 >/dev/null 2>&1 &); sleep 0.2; echo hi | nc 127.0.0.1 8080 >/dev/null 2>&1; "
           f"{MINER_SIM} dns sendto 127.0.0.1 api.shop.test; {MINER_SIM} dns send 127.0.0.1 db.shop.test; true")


@pytest.fixture(scope="module")
def kube_api():
    with KubeApiReceiver(node_name=NODE) as api:
        api.add_owner("ReplicaSet", "shop", "web-1111", controller=("Deployment", "web"))
        api.add_owner("ReplicaSet", "shop", "web-2222", controller=("Deployment", "web"))
        yield api


def drift_config(kube_api, state_directory, **options):
    return {
        "sensor": {"node_name": NODE, "state_directory": str(state_directory)},
        "kubernetes": {"api_server": kube_api.url, "token_file": str(kube_api.token_file),
                       "ca_file": kube_api.ca_file},
        "plugins": {"drift": {**DRIFT_OPTIONS, **options}},
    }


def start_sensor(build_dir, workdir, kube_api, state_directory, **options):
    sensor = Sensor(build_dir, workdir, drift_config(kube_api, state_directory, **options)).start()
    deadline = time.monotonic() + 15
    while not sensor.stderr_lines_with("kubernetes: listed"):
        assert time.monotonic() < deadline, sensor.stderr_tail()
        time.sleep(0.05)
    return sensor


@pytest.fixture(scope="module")
def drift_rootfs(rootfs, build_dir, tmp_path_factory):
    """busybox and miner_sim, whose DNS queries the routine makes: part of the image."""
    return rootfs.with_files(tmp_path_factory.mktemp("drift-rootfs") / "root", miner_files(build_dir))


@pytest.fixture
def replica(container_factory, kube_api, drift_rootfs):
    """replica(template_hash="1111"): a container reported as a replica of Deployment web at @template_hash."""
    def make(template_hash="1111"):
        return _replica(container_factory, kube_api, drift_rootfs, template_hash)
    return make


def _replica(container_factory, kube_api, drift_rootfs, template_hash):
    container = container_factory(rootfs=drift_rootfs)
    kube_api.add_pod(pod_object(f"web-{template_hash}-{secrets.token_hex(2)}", "shop", container.pod_uid, NODE,
                                container_ids=[container.id],
                                labels={"app": "web", "pod-template-hash": template_hash},
                                owner=("ReplicaSet", f"web-{template_hash}")))
    return container


def routine(container):
    completed = container.exec(["sh", "-c", ROUTINE])
    assert completed.returncode == 0, completed.stderr


def export(build_dir, state_directory) -> dict:
    completed = run_vigil(build_dir, "profiles", "--state-dir", str(state_directory), "export")
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def profile_classes(build_dir, state_directory, version="1111") -> dict:
    """class name -> its exported object, for the web profile at @version."""
    for profile in export(build_dir, state_directory)["profiles"]:
        if profile["key"] == PROFILE and profile["version"] == version:
            return profile["classes"]
    return {}


def drift_alerts(sensor, since=0):
    return [alert for alert in sensor.alerts(since) if alert["rule"].startswith("drift.")]


LEARNED = ("executables", "files", "connections", "listening", "dns")


def learn_until_stable(build_dir, state, sensor, container, version="1111", timeout=30.0):
    """Repeats the routine in @container until every class of the profile at @version is stable."""
    deadline = time.monotonic() + timeout
    while True:
        routine(container)
        found = profile_classes(build_dir, state, version)
        if found and all(found.get(name, {}).get("state") == "stable" for name in LEARNED):
            return found
        assert time.monotonic() < deadline, f"profile not stable: {found}\n{sensor.stderr_tail()}"
        time.sleep(1)


def test_learns_then_alerts_on_each_class_of_novelty(build_dir, tmp_path, kube_api, replica):
    state = tmp_path / "state"
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, state)
    try:
        container = replica()
        # Learning: the same routine and nothing else until every class is stable.
        learn_until_stable(build_dir, state, sensor, container)
        assert drift_alerts(sensor) == [], describe_all(drift_alerts(sensor))

        # Stable: the routine raises nothing.
        mark = sensor.alert_count()
        for _ in range(3):
            routine(container)
        sensor.assert_no_alert(Match(plugin="drift"), settle=2.0, since=mark)

        # Each class's novelty raises exactly its rule. Everything but the new executable runs
        # through `sh -c` and applets the routine ran, in the routine's shape (a last command
        # the shell would exec in its own place has another parent: a new executable entry),
        # so that only the novelty itself is new.
        novelties = [
            ("drift.new_executable", ["uname"]),
            ("drift.new_file_write", ["sh", "-c", "echo x >/var/new-file"]),
            ("drift.new_sensitive_read", ["sh", "-c", "read line </etc/shadow; true"]),
            ("drift.new_listening_port", ["sh", "-c", "(nc -l -p 9090 >/dev/null 2>&1 &); sleep 0.2; true"]),
            ("drift.new_connection", ["sh", "-c", "echo hi | nc 127.0.0.2 8080 >/dev/null 2>&1; true"]),
            ("drift.new_dns_name", ["sh", "-c", f"{MINER_SIM} dns sendmsg 127.0.0.1 exfil.evil.test; true"]),
        ]
        for rule, command in novelties:
            mark = sensor.alert_count()
            container.exec(command)
            alert = sensor.wait_for_alert(Match(rule=rule, container=container), timeout=10, since=mark)
            assert alert["evidence"]["profile"] == PROFILE
            assert alert["evidence"]["learned_seconds"] >= DRIFT_OPTIONS["learning_min_s"]
            time.sleep(1.0)
            raised = [alert["rule"] for alert in drift_alerts(sensor, since=mark)]
            assert raised == [rule], describe_all(drift_alerts(sensor, since=mark))
    finally:
        sensor.stop()


def test_dropped_binary_alerts_while_learning(build_dir, tmp_path, kube_api, replica):
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, tmp_path / "state")
    try:
        container = replica()
        routine(container)
        mark = sensor.alert_count()
        container.exec(["sh", "-c", "cp /bin/busybox /tmp/tool && /tmp/tool true"])
        alert = sensor.wait_for_alert(Match(rule="drift.dropped_binary_exec", container=container), timeout=10,
                                      since=mark)
        assert "after the container started" in alert["evidence"]["reason"]
        # An image's own file raises nothing.
        sensor.assert_no_alert(Match(rule="drift.dropped_binary_exec", container=container), settle=1.0,
                               since=sensor.alert_count())
    finally:
        sensor.stop()


def test_restart_keeps_the_profile_and_reset_import_restore_it(build_dir, tmp_path, kube_api, replica):
    state = tmp_path / "state"
    sensor = start_sensor(build_dir, tmp_path / "sensor-1", kube_api, state)
    try:
        container = replica()
        learn_until_stable(build_dir, state, sensor, container)
    finally:
        sensor.stop()
    saved = export(build_dir, state)

    # A new sensor on the same state directory: stable at once, and the routine raises nothing.
    sensor = start_sensor(build_dir, tmp_path / "sensor-2", kube_api, state)
    try:
        container = replica()
        for _ in range(2):
            routine(container)
        sensor.assert_no_alert(Match(plugin="drift"), settle=2.0)
        mark = sensor.alert_count()
        container.exec(["uname"])
        sensor.wait_for_alert(Match(rule="drift.new_executable", container=container), timeout=10, since=mark)
    finally:
        sensor.stop()

    # export -> reset -> import gives back the same profile.
    completed = run_vigil(build_dir, "profiles", "--state-dir", str(state), "reset", PROFILE)
    assert completed.returncode == 0, completed.stderr
    reset = profile_classes(build_dir, state)
    assert all(not found["entries"] and found["state"] == "learning" for found in reset.values()), reset
    exported = tmp_path / "profiles.json"
    exported.write_text(json.dumps(saved))
    completed = run_vigil(build_dir, "profiles", "--state-dir", str(state), "import", str(exported))
    assert completed.returncode == 0, completed.stderr
    assert profile_classes(build_dir, state) == {p["version"]: p for p in saved["profiles"]
                                                 if p["key"] == PROFILE}["1111"]["classes"]


def test_a_class_growing_past_its_cap_is_unstable_and_says_so(build_dir, tmp_path, kube_api, replica):
    state = tmp_path / "state"
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, state, max_entries_per_class=5,
                          learning_max_s=6)
    try:
        container = replica()
        applets = ["uname", "id", "date", "hostname", "whoami", "true", "pwd", "env", "ls"]
        deadline = time.monotonic() + 30
        while True:
            for applet in applets:
                container.exec([applet])
            found = profile_classes(build_dir, state)
            if found.get("executables", {}).get("state") == "unstable":
                break
            assert time.monotonic() < deadline, f"never unstable: {found}\n{sensor.stderr_tail()}"
            time.sleep(1)
        mark = sensor.alert_count()
        container.exec(["uptime"])
        sensor.assert_no_alert(Match(rule="drift.new_executable"), settle=2.0, since=mark)
        assert sensor.stderr_lines_with("executables grew past max_entries_per_class"), sensor.stderr_tail()
    finally:
        sensor.stop()


def test_a_rollout_relearns_without_alerting_but_still_sees_dropped_binaries(build_dir, tmp_path, kube_api, replica):
    state = tmp_path / "state"
    # A relearning window long enough for the steps below on a sanitized build, which runs them
    # several times slower.
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, state, relearn_s=15)
    try:
        old = replica("1111")
        learn_until_stable(build_dir, state, sensor, old)

        # The new version does what the old one did, and something new and benign: no drift alert.
        new = replica("2222")
        mark = sensor.alert_count()
        routine(new)
        new.exec(["date"])
        new.exec(["sh", "-c", "echo v2 >/tmp/version-2; true"])
        time.sleep(1.5)
        relearning = profile_classes(build_dir, state, "2222")
        assert relearning["executables"]["state"] == "relearning", relearning
        # A dropped binary alerts whatever the profile's state.
        new.exec(["sh", "-c", "cp /bin/busybox /tmp/tool && /tmp/tool true"])
        sensor.wait_for_alert(Match(rule="drift.dropped_binary_exec", container=new), timeout=10, since=mark)
        raised = {alert["rule"] for alert in drift_alerts(sensor, since=mark)}
        assert raised == {"drift.dropped_binary_exec"}, describe_all(drift_alerts(sensor, since=mark))

        # After the relearning window the new version is stable with what it learned, and the
        # old version's profile is still there while its container runs.
        deadline = time.monotonic() + 30
        while profile_classes(build_dir, state, "2222")["executables"]["state"] != "stable":
            assert time.monotonic() < deadline, profile_classes(build_dir, state, "2222")
            time.sleep(0.5)
        exported = export(build_dir, state)
        versions = {p["version"]: p for p in exported["profiles"] if p["key"] == PROFILE}
        assert set(versions) == {"1111", "2222"}
        assert versions["2222"]["inherited_from"] == "1111"
        entries = [entry["entry"] for entry in versions["2222"]["classes"]["executables"]["entries"]]
        assert any(entry.startswith("/bin/date ") for entry in entries), entries
        mark = sensor.alert_count()
        new.exec(["date"])
        routine(new)
        sensor.assert_no_alert(Match(plugin="drift"), settle=2.0, since=mark)
    finally:
        sensor.stop()


def test_a_benign_soak_raises_nothing_once_stable(build_dir, tmp_path, kube_api, replica):
    """A web server under load, a file loop with ever new names and a periodic job: learned
    within seconds, then several learning cycles' worth of the same raise no drift alert."""
    state = tmp_path / "state"
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, state)
    try:
        container = replica()
        drift_workloads.start_benign(container)
        deadline = time.monotonic() + 40
        while True:
            drift_workloads.run_periodic(container, seconds=2)
            found = profile_classes(build_dir, state)
            if found and all(found.get(name, {}).get("state") == "stable" for name in LEARNED):
                break
            assert time.monotonic() < deadline, f"profile not stable: {found}\n{sensor.stderr_tail()}"
        mark = sensor.alert_count()
        drift_workloads.run_periodic(container, seconds=20)
        assert drift_alerts(sensor, since=mark) == [], describe_all(drift_alerts(sensor, since=mark))
        files = profile_classes(build_dir, state)["files"]
        # The random upload names collapsed: the class did not grow with them.
        assert any(entry["entry"].endswith("/tmp/*") for entry in files["entries"]), files["entries"]
        assert len(files["entries"]) < 40, files["entries"]
    finally:
        sensor.stop()


def test_a_binary_written_into_the_overlay_upper_layer_alerts(build_dir, tmp_path, kube_api, container_factory,
                                                              drift_rootfs):
    """As container runtimes mount images: the image read-only below, the container's writes in an
    upper layer. A file executed from the upper layer is dropped, whatever its times say."""
    layers = {name: tmp_path / name for name in ("upper", "work", "merged")}
    for directory in layers.values():
        directory.mkdir()
    subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                    f"lowerdir={drift_rootfs.path},upperdir={layers['upper']},workdir={layers['work']}",
                    str(layers["merged"])], check=True)
    sensor = start_sensor(build_dir, tmp_path / "sensor", kube_api, tmp_path / "state")
    container = None
    try:
        container = container_factory(rootfs=Rootfs(layers["merged"]), start=False, readonly_rootfs=True)
        # The merged directory is the rootfs as it is, writable: no copy of it.
        config_path = container.bundle / "config.json"
        config = json.loads(config_path.read_text())
        config["root"]["readonly"] = False
        config_path.write_text(json.dumps(config))
        container.run()
        mark = sensor.alert_count()
        container.exec(["sh", "-c", "uname >/dev/null; cp /bin/busybox /tmp/tool && /tmp/tool true"])
        alert = sensor.wait_for_alert(Match(rule="drift.dropped_binary_exec", container=container), timeout=10,
                                      since=mark)
        assert "upper layer" in alert["evidence"]["reason"], alert["evidence"]
        raised = [alert for alert in sensor.alerts(mark) if alert["rule"] == "drift.dropped_binary_exec"]
        assert len(raised) == 1, describe_all(raised)  # the image's own sh and uname raised nothing
    finally:
        if container is not None:
            container.delete()
        sensor.stop()
        subprocess.run(["umount", "-l", str(layers["merged"])], check=False)
