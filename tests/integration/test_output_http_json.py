# SPDX-License-Identifier: Apache-2.0
"""The http_json output, end to end: the real sensor POSTs alerts in the
common JSON alert shape over HTTPS (the fake's CA as ca_file) to the loopback
fake, which checks every alert against the shape.

Other sensors may run on this machine at the same time, and this sensor sees
their processes too: alerts are matched by rule, time and pid, and every
delivery check compares with this sensor's own jsonl output."""

import collections
import json
import subprocess
import time

import pytest

from alerts import Match
from programs import program_path
from receivers.fixtures import http_json_receiver, receiver_tls  # noqa: F401
from receivers.http_json import HttpJsonReceiver
from sensor import Sensor


def _overrides(receiver, **options):
    table = {"plugin": "http_json", "url": receiver.endpoint_url, "ca_file": receiver.ca_file, **options}
    return {"alerts": {"dedup_window_s": 0}, "outputs": {"http_json": table}}


def _ptrace(build_dir, count=1):
    injector = program_path(build_dir, "injector")
    for _ in range(count):
        subprocess.run([str(injector), "ptrace", "attach"], check=True, stdout=subprocess.DEVNULL)


def _alert_key(alert):
    return (alert["rule"], alert["time"], alert.get("process", {}).get("pid", 0))


def _shaped_key(shaped):
    return (shaped["rule"], shaped["time"], shaped["output_fields"]["proc.pid"])


def _request_keys(request):
    body = json.loads(request.body)
    return [_shaped_key(item) for item in (body if isinstance(body, list) else [body])]


def _wait_until_delivered(sensor, receiver, timeout=30.0):
    """Waits until every alert of the sensor's jsonl file reached the fake;
    returns (alerts, Counter of delivered keys)."""
    deadline = time.monotonic() + timeout
    while True:
        alerts = sensor.alerts()
        delivered = collections.Counter(_shaped_key(item) for item in receiver.accepted)
        missing = [key for key in map(_alert_key, alerts) if key not in delivered]
        if not missing:
            return alerts, delivered
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(missing)} of {len(alerts)} alerts never reached the fake: {missing[:5]}; "
                                 f"fake: {receiver.counters}; rejections: {receiver.rejections[-3:]}\n"
                                 f"sensor stderr:\n{sensor.stderr_tail(30)}")
        time.sleep(0.1)


def test_an_alert_arrives_in_the_common_shape_with_token_and_headers(build_dir, tmp_path, receiver_tls):
    token = "t0k3n-for-the-test-only"
    token_file = tmp_path / "token"
    token_file.write_text(token + "\n")
    with HttpJsonReceiver(path="/alerts", token=token, tls=receiver_tls) as receiver:
        overrides = _overrides(receiver, token_file=str(token_file), headers=["X-Pipeline: nodes"])
        with Sensor(build_dir, tmp_path / "sensor", overrides) as sensor:
            _ptrace(build_dir)
            alert = sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
            _wait_until_delivered(sensor, receiver)
        [shaped] = [item for item in receiver.accepted if _shaped_key(item) == _alert_key(alert)]
        request = next(r for r in receiver.requests if _alert_key(alert) in _request_keys(r))
        assert not receiver.errors
    assert token not in sensor.stderr_text()
    assert request.headers["X-Pipeline"] == "nodes" and request.tls
    assert isinstance(json.loads(request.body), dict)  # batch = false: one object per request
    assert shaped["time"] == alert["time"] and shaped["rule"] == "injection.ptrace_attach"
    assert shaped["priority"] == "Error" and shaped["source"] == "vigil"
    assert shaped["hostname"] == alert["k8s"]["node"]
    assert shaped["output"].startswith(alert["summary"] + " (rule=injection.ptrace_attach severity=high")
    tactics = [t["id"] for t in alert["mitre"]["tactics"]]
    assert shaped["tags"][:len(tactics)] == tactics and "T1055.008" in shaped["tags"]
    assert shaped["tags"][-1] == "injection"
    fields = shaped["output_fields"]
    assert fields["proc.pid"] == alert["process"]["pid"] and fields["proc.exe"] == alert["process"]["exe"]
    assert fields["proc.cmdline"] == alert["process"]["cmdline"]
    assert fields["container.id"] == "host" and "k8s.pod.uid" not in fields
    assert fields["vigil.rule"] == "injection.ptrace_attach" and fields["vigil.severity"] == "high"
    assert all(fields[f"evidence.{key}"] == value for key, value in alert["evidence"].items())


def test_a_429_is_retried_after_its_wait_and_delivered_once(build_dir, tmp_path, http_json_receiver):
    receiver = http_json_receiver
    with Sensor(build_dir, tmp_path / "sensor", _overrides(receiver)) as sensor:
        receiver.rate_limit(retry_after=2, count=1)
        _ptrace(build_dir)
        # In the sensor's own jsonl file first, so that the wait below covers it.
        sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _wait_until_delivered(sensor, receiver)
    [limited] = [r for r in receiver.requests if r.status == 429]
    [key] = _request_keys(limited)
    again = [r for r in receiver.requests if key in _request_keys(r) and r is not limited]
    assert [r.status for r in again] == [200], "delivered exactly once after the 429"
    assert again[0].time - limited.time >= 1.9, "sent again before the Retry-After wait was over"


def test_a_400_is_not_retried_and_the_rejection_is_logged(build_dir, tmp_path, http_json_receiver):
    receiver = http_json_receiver
    with Sensor(build_dir, tmp_path / "sensor", _overrides(receiver)) as sensor:
        receiver.bad_request(count=1)
        _ptrace(build_dir)
        deadline = time.monotonic() + 15
        while not [r for r in receiver.requests if r.status == 400]:
            assert time.monotonic() < deadline, sensor.stderr_tail()
            time.sleep(0.05)
        time.sleep(2.0)  # time enough for a retry that must not come
        _ptrace(build_dir)  # the output goes on with the next alert
        sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _, delivered = _wait_until_delivered_except(sensor, receiver)
        logged = sensor.stderr_lines_with("output http_json: rejected 1 alerts", "HTTP 400")
    [rejected] = [r for r in receiver.requests if r.status == 400]
    [key] = _request_keys(rejected)
    assert [r for r in receiver.requests if key in _request_keys(r)] == [rejected]
    assert key not in delivered
    assert logged, sensor.stderr_tail()


def _wait_until_delivered_except(sensor, receiver, timeout=30.0):
    """Like _wait_until_delivered, leaving out the alerts the fake refused with 400."""
    refused = {key for r in receiver.requests if r.status == 400 for key in _request_keys(r)}
    deadline = time.monotonic() + timeout
    while True:
        alerts = sensor.alerts()
        delivered = collections.Counter(_shaped_key(item) for item in receiver.accepted)
        missing = [k for k in map(_alert_key, alerts) if k not in delivered and k not in refused]
        if not missing:
            return alerts, delivered
        assert time.monotonic() < deadline, f"not delivered: {missing[:5]}\n{sensor.stderr_tail(30)}"
        time.sleep(0.1)


@pytest.mark.parametrize("batch", [False, True])
def test_every_alert_raised_while_the_receiver_is_away_is_delivered_once(build_dir, tmp_path, http_json_receiver,
                                                                         batch):
    receiver = http_json_receiver
    with Sensor(build_dir, tmp_path / "sensor", _overrides(receiver, batch=batch)) as sensor:
        _ptrace(build_dir)
        sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))  # listed before the wait below
        _wait_until_delivered(sensor, receiver)
        receiver.refuse()
        _ptrace(build_dir, 5)
        # Away until the output has failed to reach it: however long the
        # sensor takes to raise the alerts, they meet the outage.
        deadline = time.monotonic() + 30
        while not sensor.stderr_lines_with("output http_json", "retrying"):
            assert time.monotonic() < deadline, f"no failed send while away\n{sensor.stderr_tail(30)}"
            time.sleep(0.1)
        time.sleep(1.0)  # a few retries with backoff
        receiver.come_back()
        alerts, delivered = _wait_until_delivered(sensor, receiver)
    duplicated = {key: count for key, count in delivered.items() if count > 1}
    assert not duplicated, duplicated
    assert len(alerts) >= 6
    if batch:
        assert any(isinstance(json.loads(r.body), list) and len(json.loads(r.body)) > 1
                   for r in receiver.requests if r.status == 200), "no batch of several alerts was sent"
