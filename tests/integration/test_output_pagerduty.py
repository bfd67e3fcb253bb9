# SPDX-License-Identifier: Apache-2.0
"""The pagerduty output through the real sensor to the loopback PagerDuty
Events API v2 over HTTPS (the fake's CA as ca_file): the event's fields and
the incident it opens, the default route, a 429, a permanent 400, and the
receiver going away and coming back.

Other sensors may run on this machine at the same time and see the same
kernel events, so every assertion counts only this run's injector processes
(the injector of this build, by path, and the pids it had)."""

import json
import subprocess
import time
from datetime import datetime, timezone

from programs import program_path
from receivers.fixtures import pagerduty_receiver, receiver_tls  # noqa: F401
from sensor import Sensor

RULE = "injection.ptrace_attach"


def _ptrace(build_dir) -> int:
    injector = subprocess.Popen([str(program_path(build_dir, "injector")), "ptrace", "attach"],
                                stdout=subprocess.DEVNULL)
    assert injector.wait(timeout=20) == 0
    return injector.pid


def _config(receiver, tmp_path, **options):
    key_file = tmp_path / "pagerduty-routing-key"
    key_file.write_text("0123456789abcdef0123456789abcdef\n")
    key_file.chmod(0o600)
    output = {"url": receiver.enqueue_url, "ca_file": str(receiver.ca_file), "routing_key_file": str(key_file)}
    output.update(options)
    # The default route (high and up, TA0004 or TA0008) is kept: the ptrace alert is HIGH and TA0004.
    return {"alerts": {"dedup_window_s": 0}, "outputs": {"pagerduty": output}}


def _mine(events, injector_path, pids):
    return [event for event in events
            if event["payload"]["class"] == RULE
            and event["payload"]["custom_details"].get("process", {}).get("exe") == str(injector_path)
            and event["payload"]["custom_details"]["process"]["pid"] in pids]


def _wait_mine(receiver, injector_path, pids, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        found = _mine(receiver.accepted, injector_path, pids)
        if len(found) >= len(pids) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _requests_carrying(receiver, needle: str) -> list:
    return [request for request in receiver.requests if needle.encode() in request.body]


def test_an_alert_pages_with_the_mapped_fields_and_opens_one_incident(build_dir, tmp_path, pagerduty_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(pagerduty_receiver, tmp_path)) as sensor:
        assert sensor.stderr_lines_with("output pagerduty", "severity >= high, tactics TA0004 TA0008"), \
            sensor.stderr_tail()
        pid = _ptrace(build_dir)
        [event] = _wait_mine(pagerduty_receiver, injector_path, {pid})
    payload = event["payload"]
    details = payload["custom_details"]
    assert event["event_action"] == "trigger" and event["routing_key"] == "0123456789abcdef0123456789abcdef"
    # The sensor's finding key: rule, node (a host process), the detector's key (caller->target).
    assert event["dedup_key"] == f"vigil/{RULE}/{details['k8s']['node']}/{pid}->{details['evidence']['target_pid']}"
    assert payload["severity"] == "error" and payload["class"] == RULE
    assert payload["source"] == details["k8s"]["node"] and payload["group"] == "host"
    assert payload["component"] == str(injector_path)
    assert payload["summary"].startswith(details["summary"]) and len(payload["summary"]) <= 1024
    happened = datetime.fromisoformat(payload["timestamp"])
    assert abs((datetime.now(timezone.utc) - happened).total_seconds()) < 120
    assert details["rule"] == RULE and details["severity"] == "high"
    incident = pagerduty_receiver.incident(event["dedup_key"])
    assert incident is not None and incident.trigger_count == 1 and incident.severity == "error"
    [request] = _requests_carrying(pagerduty_receiver, str(injector_path))
    assert request.header("Content-Type") == "application/json"


def test_a_429_backs_off_then_delivers_once(build_dir, tmp_path, pagerduty_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(pagerduty_receiver, tmp_path)) as sensor:
        pagerduty_receiver.rate_limit(retry_after=2, count=1)
        pid = _ptrace(build_dir)
        _wait_mine(pagerduty_receiver, injector_path, {pid}, timeout=25)
        time.sleep(1.0)
        found = _mine(pagerduty_receiver.accepted, injector_path, {pid})
        assert sensor.stderr_lines_with("output pagerduty", "HTTP 429"), sensor.stderr_tail()
    assert len(found) == 1
    limited = [request for request in pagerduty_receiver.requests if request.status == 429]
    delivered = [request for request in _requests_carrying(pagerduty_receiver, str(injector_path))
                 if request.status == 202]
    assert len(limited) == 1 and len(delivered) == 1
    assert delivered[0].time - limited[0].time >= 1.9


def test_a_400_is_rejected_once_and_logged(build_dir, tmp_path, pagerduty_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(pagerduty_receiver, tmp_path)) as sensor:
        pagerduty_receiver.bad_request()
        _ptrace(build_dir)
        pagerduty_receiver.wait_for_requests(1, timeout=15)
        time.sleep(4.0)  # longer than several backoff steps: a retry would show
        rejected_lines = sensor.stderr_lines_with("output pagerduty", "rejected", "HTTP 400")
    assert len(_requests_carrying(pagerduty_receiver, str(injector_path))) == 1
    assert rejected_lines, sensor.stderr_tail()
    assert "0123456789abcdef0123456789abcdef" not in sensor.stderr_text()


def test_receiver_away_then_back_delivers_every_alert_once(build_dir, tmp_path, pagerduty_receiver):
    injector_path = program_path(build_dir, "injector")
    with Sensor(build_dir, tmp_path / "sensor", _config(pagerduty_receiver, tmp_path)) as sensor:
        pagerduty_receiver.refuse()
        pids = {_ptrace(build_dir) for _ in range(5)}
        time.sleep(3.0)
        assert sensor.stderr_lines_with("output pagerduty", "retrying"), sensor.stderr_tail()
        pagerduty_receiver.come_back()
        _wait_mine(pagerduty_receiver, injector_path, pids, timeout=30)
        time.sleep(1.0)
        found = _mine(pagerduty_receiver.accepted, injector_path, pids)
        seen = [(event["payload"]["class"], event["payload"]["custom_details"].get("process"))
                for event in pagerduty_receiver.accepted]
        assert sorted(event["payload"]["custom_details"]["process"]["pid"] for event in found) == sorted(pids), \
            f"pids {sorted(pids)}, events {seen}\n{sensor.stderr_tail()}"
    # One incident per finding: five processes, five incidents, each triggered once.
    incidents = {event["dedup_key"]: pagerduty_receiver.incident(event["dedup_key"]) for event in found}
    assert len(incidents) == 5 and all(incident.trigger_count == 1 for incident in incidents.values())
