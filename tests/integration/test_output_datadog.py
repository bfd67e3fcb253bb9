# SPDX-License-Identifier: Apache-2.0
"""The datadog output through the real sensor to the loopback Datadog over
HTTPS (the fake's CA as ca_file): the fields that arrive, a 429 with
X-RateLimit-Reset, a permanent 400, and the receiver going away and coming
back.

Other sensors may run on this machine at the same time and see the same
kernel events, so every assertion counts only this run's injector processes
(the injector of this build, by path, and the pids it had)."""

import gzip
import subprocess
import time

from programs import program_path
from receivers.fixtures import datadog_receiver, receiver_tls  # noqa: F401
from sensor import Sensor

RULE = "injection.ptrace_attach"


def _ptrace(build_dir) -> int:
    """One injection.ptrace_attach from a fresh injector process; its pid."""
    injector = subprocess.Popen([str(program_path(build_dir, "injector")), "ptrace", "attach"],
                                stdout=subprocess.DEVNULL)
    assert injector.wait(timeout=20) == 0
    return injector.pid


def _config(receiver, tmp_path, **options):
    key_file = tmp_path / "datadog-api-key"
    key_file.write_text(receiver.api_key + "\n")
    key_file.chmod(0o600)
    output = {"url": receiver.url, "ca_file": str(receiver.ca_file), "api_key_file": str(key_file),
              "route": {"rules": [RULE]}}
    output.update(options)
    return {"alerts": {"dedup_window_s": 0}, "outputs": {"datadog": output}}


def _mine(items, injector_path, pids=None):
    """The log entries or events of our injector (its exe; pids when given)."""
    found = []
    for item in items:
        if "process" in item:  # a log entry: the alert's own fields
            process = item["process"]
            if item.get("rule") == RULE and process.get("exe") == str(injector_path) and \
                    (pids is None or process.get("pid") in pids):
                found.append(item)
        elif "text" in item:  # an event: its text names the rule and the process
            if f"rule: {RULE}\n" in item["text"] and \
                    any(f"process: {injector_path} (pid {pid})" in item["text"] for pid in pids or ()):
                found.append(item)
    return found


def _wait_mine(receiver, injector_path, pids, collection="logs", timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        found = _mine(receiver.collection(collection), injector_path, pids)
        if len(found) >= len(pids) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _requests_carrying(receiver, needle: str) -> list:
    carrying = []
    for request in receiver.requests:
        body = request.body
        if request.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if needle.encode() in body:
            carrying.append(request)
    return carrying


def test_an_alert_arrives_as_a_log_with_attack_tags(build_dir, tmp_path, datadog_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(datadog_receiver, tmp_path)):
        pid = _ptrace(build_dir)
        [alert] = _wait_mine(datadog_receiver, injector_path, {pid})
    [entry] = [item for item in datadog_receiver.logs if item is alert]
    tags = entry["ddtags"].split(",")
    for tag in ("mitre_tactic:TA0004", "mitre_tactic:TA0005", "mitre_technique:T1055.008", f"rule:{RULE}",
                "severity:high"):
        assert tag in tags, tags
    assert any(tag.startswith("kube_node:") for tag in tags), tags
    assert entry["message"] == entry["summary"]
    assert entry["ddsource"] == "vigil" and entry["service"] == "vigil" and entry["status"] == "error"
    assert entry["hostname"] == entry["k8s"]["node"]
    assert entry["severity"] == "high" and entry["process"]["pid"] == pid
    assert {tactic["id"] for tactic in entry["mitre"]["tactics"]} >= {"TA0004", "TA0005"}
    [request] = _requests_carrying(datadog_receiver, str(injector_path))
    assert request.header("Content-Encoding") == "gzip"
    assert request.header("DD-API-KEY") == datadog_receiver.api_key


def test_both_mode_sends_a_log_and_an_event_once_each(build_dir, tmp_path, datadog_receiver):
    injector_path = program_path(build_dir, "injector")
    config = _config(datadog_receiver, tmp_path, mode="both", gzip=False)
    with Sensor(build_dir, tmp_path / "sensor", config):
        # The first request (the logs part) fails once: the retry must not send the log twice.
        datadog_receiver.fail_next(1, status=503)
        pid = _ptrace(build_dir)
        events = _wait_mine(datadog_receiver, injector_path, {pid}, collection="events")
        logs = _wait_mine(datadog_receiver, injector_path, {pid})
        time.sleep(1.0)
        events = _mine(datadog_receiver.events, injector_path, {pid})
        logs = _mine(datadog_receiver.logs, injector_path, {pid})
    assert len(events) == 1 and len(logs) == 1, (events, logs)
    [event] = [item for item in datadog_receiver.events if f"(pid {pid})" in item["text"]]
    assert event["alert_type"] == "error" and event["priority"] == "normal"
    assert {"mitre_tactic:TA0004", "mitre_technique:T1055.008", f"rule:{RULE}"} <= set(event["tags"])
    assert event["aggregation_key"].startswith(f"{RULE}:host:")
    assert event["title"].startswith("[vigil] ") and event["host"]
    assert abs(event["date_happened"] - time.time()) < 120


def test_a_429_waits_for_the_reset_then_delivers_once(build_dir, tmp_path, datadog_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(datadog_receiver, tmp_path)) as sensor:
        datadog_receiver.rate_limit(retry_after=3, count=1)
        pid = _ptrace(build_dir)
        found = _wait_mine(datadog_receiver, injector_path, {pid}, timeout=25)
        time.sleep(1.0)
        found = _mine(datadog_receiver.logs, injector_path, {pid})
        assert sensor.stderr_lines_with("output datadog", "HTTP 429"), sensor.stderr_tail()
    assert len(found) == 1
    limited = [request for request in datadog_receiver.requests if request.status == 429]
    delivered = [request for request in _requests_carrying(datadog_receiver, str(injector_path))
                 if request.status == 202]
    assert len(limited) == 1 and len(delivered) == 1
    # X-RateLimit-Reset: 3 was honoured (the sensor's backoff alone would have retried sooner).
    assert delivered[0].time - limited[0].time >= 2.9


def test_a_400_is_rejected_once_and_logged(build_dir, tmp_path, datadog_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(datadog_receiver, tmp_path, gzip=False)) as sensor:
        datadog_receiver.bad_request()
        _ptrace(build_dir)
        datadog_receiver.wait_for_requests(1, timeout=15)
        time.sleep(4.0)  # longer than several backoff steps: a retry would show
        rejected_lines = sensor.stderr_lines_with("output datadog", "rejected", "HTTP 400")
    assert len(_requests_carrying(datadog_receiver, str(injector_path))) == 1
    assert rejected_lines, sensor.stderr_tail()
    assert datadog_receiver.api_key not in sensor.stderr_text()


def test_receiver_away_then_back_delivers_every_alert_once(build_dir, tmp_path, datadog_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(datadog_receiver, tmp_path)) as sensor:
        datadog_receiver.refuse()
        pids = {_ptrace(build_dir) for _ in range(5)}
        time.sleep(3.0)
        assert sensor.stderr_lines_with("output datadog", "retrying"), sensor.stderr_tail()
        datadog_receiver.come_back()
        found = _wait_mine(datadog_receiver, injector_path, pids, timeout=30)
        time.sleep(1.0)
        found = _mine(datadog_receiver.logs, injector_path, pids)
    assert sorted(alert["process"]["pid"] for alert in found) == sorted(pids)
