# SPDX-License-Identifier: Apache-2.0
"""The splunk_hec output against the loopback collector, over HTTPS with the
fake's CA: events in the documented shape, batching framing, 429 with
Retry-After, a permanent 400 not retried, the collector away and back,
indexer acknowledgement (and its timeout, the one place duplicates are
expected), and an unhealthy collector at start.

One sensor serves the module, with four instances of the output, each with
its own fake collector. Other sensors may run on this machine at the same
time and raise ptrace alerts of their own: every check matches this test's
alert by the injector's pid, and every route takes only the ptrace rule."""

import subprocess
import time
import uuid

import pytest

from programs import program_path
from receivers.fixtures import receiver_tls  # noqa: F401
from receivers.splunk_hec import SplunkHecReceiver
from sensor import Sensor

RULE = "injection.ptrace_attach"
TOKEN = "0b7e6f1c-2a3d-4e5f-8a9b-c0d1e2f3a4b5"


def _started(receiver):
    receiver.start()
    return receiver


@pytest.fixture(scope="module")
def collectors(receiver_tls):  # noqa: F811
    made = {
        "main": _started(SplunkHecReceiver(token=TOKEN, tls=receiver_tls)),
        "bad_index": _started(SplunkHecReceiver(token=TOKEN, tls=receiver_tls)),
        "ack": _started(SplunkHecReceiver(token=TOKEN, ack=True, tls=receiver_tls)),
        "sick": _started(SplunkHecReceiver(token=TOKEN, tls=receiver_tls)),
    }
    made["sick"].unhealthy(9)  # before the sensor starts: its health check sees it
    yield made
    errors = []
    for name, receiver in made.items():
        errors += [f"{name}: {error}" for error in receiver.errors]
        receiver.stop()
    assert not errors, "a fake collector failed inside:\n" + "\n".join(errors)


@pytest.fixture(scope="module")
def sensor(build_dir, tmp_path_factory, collectors):
    workdir = tmp_path_factory.mktemp("splunk-hec")
    token_file = workdir / "hec-token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)

    def output(name, **options):
        return {"plugin": "splunk_hec", "url": collectors[name].url, "token_file": str(token_file),
                "ca_file": collectors[name].ca_file, "timeout_ms": 3000, "route": {"rules": [RULE]}, **options}

    overrides = {
        "alerts": {"dedup_window_s": 0},
        "outputs": {
            "splunk_hec": output("main"),
            "hec_bad_index": output("bad_index", index="no_such_index"),
            "hec_ack": output("ack", use_ack=True, ack_timeout_ms=1500, ack_poll_interval_ms=100),
            "hec_sick": output("sick"),
        },
    }
    with Sensor(build_dir, workdir / "sensor", overrides) as running:
        yield running


def raise_alert(build_dir) -> int:
    """A ptrace attach by the injector; returns its pid, which the alert names."""
    process = subprocess.Popen([str(program_path(build_dir, "injector")), "ptrace", "attach"],
                               stdout=subprocess.DEVNULL)
    assert process.wait(10) == 0
    return process.pid


def is_ours(pid):
    return lambda event: event["event"]["rule"] == RULE and event["event"]["process"]["pid"] == pid


def events_of(collection, pid) -> list:
    return [event for event in collection if is_ours(pid)(event)]


def requests_of(receiver, pid, path="/services/collector/event") -> list:
    marker = f'"pid":{pid},'.encode()
    return [request for request in receiver.requests if request.path == path and marker in request.body]


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.05)


def test_an_unhealthy_collector_at_start_is_a_warning_and_alerts_wait_for_it(build_dir, sensor, collectors):
    # First in the module: alerts of later tests would otherwise pile up behind it with a long backoff.
    collector = collectors["sick"]
    assert sensor.stderr_lines_with(" warning ", "not healthy at start", "HTTP 503, code 9: Server is busy"), \
        sensor.stderr_tail()
    pid = raise_alert(build_dir)
    wait_until(lambda: requests_of(collector, pid), 10, "the first attempt")
    time.sleep(1.0)
    assert not events_of(collector.accepted, pid)
    collector.healthy()
    wait_until(lambda: events_of(collector.accepted, pid), 15, "the alert once healthy")
    assert len(events_of(collector.accepted, pid)) == 1


def test_an_alert_arrives_as_a_collector_event_with_its_fields(build_dir, sensor, collectors):
    collector = collectors["main"]
    assert sensor.stderr_lines_with("splunk_hec: the collector at", collector.url, "is healthy",
                                    "code 17"), sensor.stderr_tail()
    before = time.time()
    pid = raise_alert(build_dir)
    wait_until(lambda: events_of(collector.accepted, pid), 10, "the alert at the collector")
    [event] = events_of(collector.accepted, pid)
    alert = event["event"]
    assert alert["rule"] == RULE and alert["severity"] == "high"
    assert before - 1 <= event["time"] <= time.time() and isinstance(event["time"], float)
    assert event["host"] == alert["k8s"]["node"]
    assert event["source"] == "vigil" and event["sourcetype"] == "vigil:alert"
    assert "index" not in event  # none configured: the token's default index
    assert event["fields"] == {"rule": RULE, "severity": "high", "mitre_tactic": ["TA0005", "TA0004"],
                               "mitre_technique": ["T1055.008"]}
    [request] = requests_of(collector, pid)
    assert request.header("Authorization") == f"Splunk {TOKEN}"
    assert request.header("Content-Type") == "application/json"
    assert request.header("X-Splunk-Request-Channel") is None  # only with acknowledgement
    assert request.status == 200
    # The token never reaches the log.
    assert TOKEN not in sensor.stderr_text()


def test_several_alerts_in_one_request_are_concatenated_objects(build_dir, sensor, collectors):
    collector = collectors["main"]
    collector.slow(1.0)  # alerts queue up behind a slow answer and leave together
    try:
        pids = [raise_alert(build_dir) for _ in range(4)]
        wait_until(lambda: all(events_of(collector.accepted, pid) for pid in pids), 15, "four alerts")
    finally:
        collector.recover()
    batched = [request for request in collector.requests if request.body.count(b'{"time":') > 1]
    assert batched, "no request carried more than one event"
    body = batched[0].body
    assert not body.lstrip().startswith(b"[") and b'},{"time"' not in body
    for pid in pids:
        assert len(events_of(collector.accepted, pid)) == 1


def test_429_is_retried_after_retry_after_and_counted_once(build_dir, sensor, collectors):
    collector = collectors["main"]
    collector.rate_limit(retry_after=2, count=1)
    pid = raise_alert(build_dir)
    wait_until(lambda: events_of(collector.accepted, pid), 15, "the alert after the 429")
    requests = requests_of(collector, pid)
    assert [request.status for request in requests] == [429, 200], [r.status for r in requests]
    assert requests[1].time - requests[0].time >= 1.9  # the wait the collector asked for
    time.sleep(1.0)
    assert len(events_of(collector.accepted, pid)) == 1


def test_a_bad_index_is_rejected_once_and_logged_with_the_collectors_reason(build_dir, sensor, collectors):
    collector = collectors["bad_index"]
    pid = raise_alert(build_dir)
    wait_until(lambda: requests_of(collector, pid), 10, "the request with the bad index")
    wait_until(lambda: sensor.stderr_lines_with("output hec_bad_index: rejected", "code 7: Incorrect index"),
               5, "the rejection in the log")
    time.sleep(3.0)  # a retry would come within this
    [request] = requests_of(collector, pid)
    assert request.status == 400
    assert not events_of(collector.accepted, pid)


def test_a_collector_away_and_back_gets_every_alert_once(build_dir, sensor, collectors):
    # At-least-once: a duplicate is possible only when a request is cut after
    # the collector took it; refused connections never reach it, so none here.
    collector = collectors["main"]
    collector.refuse()
    try:
        pids = [raise_alert(build_dir) for _ in range(5)]
        time.sleep(3.0)
        assert not any(events_of(collector.accepted, pid) for pid in pids)
    finally:
        collector.come_back()
    wait_until(lambda: all(events_of(collector.accepted, pid) for pid in pids), 20, "every alert after the outage")
    time.sleep(1.0)
    assert [len(events_of(collector.accepted, pid)) for pid in pids] == [1] * 5


def test_with_acknowledgement_an_alert_is_delivered_once_indexed(build_dir, sensor, collectors):
    collector = collectors["ack"]
    pid = raise_alert(build_dir)
    wait_until(lambda: events_of(collector.acknowledged, pid), 10, "the acknowledged alert")
    [request] = requests_of(collector, pid)
    channel = request.header("X-Splunk-Request-Channel")
    assert uuid.UUID(channel).version == 4
    acks = [r for r in collector.requests if r.path == "/services/collector/ack"]
    assert acks and all(r.header("X-Splunk-Request-Channel") == channel for r in acks)
    assert not collector.pending_acks


def test_an_acknowledgement_that_does_not_come_resends_the_batch(build_dir, sensor, collectors):
    # The documented duplicate: events sent again after the ack timeout may
    # have been indexed the first time (at-least-once).
    collector = collectors["ack"]
    collector.hold_acks()
    try:
        pid = raise_alert(build_dir)
        wait_until(lambda: len(requests_of(collector, pid)) >= 2, 15, "the batch sent again")
    finally:
        collector.release_acks()
    wait_until(lambda: events_of(collector.acknowledged, pid), 10, "the acknowledged alert")
    assert sensor.stderr_lines_with("output hec_ack", "no indexer acknowledgement for ackId")
    assert len(events_of(collector.accepted, pid)) >= 2
