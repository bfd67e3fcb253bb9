# SPDX-License-Identifier: Apache-2.0
"""Tests of the loopback fakes themselves (receivers/), with the standard
library as the client: each fake takes what the real service takes, answers
what it refuses with the documented status and body, and fails on demand."""

import gzip
import http.client
import json
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

import pytest

from receivers import (DatadogReceiver, HttpJsonReceiver, PagerDutyReceiver, ReceiverError, SlackReceiver,
                       SplunkHecReceiver)
from receivers.fixtures import (datadog_receiver, http_json_receiver, pagerduty_receiver,  # noqa: F401
                                receiver_tls, slack_receiver, splunk_hec_receiver, syslog_receiver)
from receivers.syslog import MalformedSyslog, parse_rfc5424

DD_KEY = "0123456789abcdef0123456789abcdef"
PD_KEY = "fedcba9876543210fedcba9876543210"


# --- a client ---------------------------------------------------------------------


def call(url, body=None, headers=None, method="POST", ca_file=None, timeout=5.0, context=None):
    """-> (status, headers, body bytes); HTTP errors are answers, not exceptions."""
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if context is None and url.startswith("https"):
        context = ssl.create_default_context(cafile=ca_file)
    try:
        with urllib.request.urlopen(request, context=context, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def post_json(receiver, url, value, headers=None, **options):
    headers = {"Content-Type": "application/json", **(headers or {})}
    return call(url, value, headers, ca_file=receiver.ca_file, **options)


def concatenated(*objects):
    return "".join(json.dumps(item) for item in objects).encode()


def rfc3339_now():
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def a_valid_alert(**changes):
    alert = {"time": "2024-05-01T12:00:00.123456789Z", "rule": "Write below release_agent",
             "priority": "Critical", "source": "vigil", "hostname": "node-1",
             "output": "a process wrote release_agent", "tags": ["T1611", "container"],
             "output_fields": {"container.id": "abc", "proc.pid": 42}}
    alert.update(changes)
    return alert


def a_valid_trigger(dedup_key="finding-1", **payload_changes):
    payload = {"summary": "Privilege escalation in pod web-1", "source": "node-1", "severity": "critical",
               "timestamp": "2024-05-01T12:00:00.000+00:00", "component": "web", "group": "prod",
               "class": "escape", "custom_details": {"rule": "release_agent"}}
    payload.update(payload_changes)
    event = {"routing_key": PD_KEY, "event_action": "trigger", "payload": payload,
             "client": "vigil", "client_url": "https://example.invalid/", "links": [{"href": "https://x.invalid"}]}
    if dedup_key is not None:
        event["dedup_key"] = dedup_key
    return event


# --- every fake, one way of calling it with a valid request -----------------------


def _datadog_send(receiver):
    return post_json(receiver, receiver.events_url, {"title": "t", "text": "x", "alert_type": "error"},
                     {"DD-API-KEY": DD_KEY})


def _splunk_send(receiver):
    return call(receiver.event_url, concatenated({"time": time.time(), "event": {"rule": "r"}}),
                {"Authorization": f"Splunk {receiver.token}"}, ca_file=receiver.ca_file)


def _pagerduty_send(receiver):
    return post_json(receiver, receiver.enqueue_url, a_valid_trigger())


def _slack_send(receiver):
    return post_json(receiver, receiver.webhook_url, {"text": "alert"})


def _http_json_send(receiver):
    return post_json(receiver, receiver.endpoint_url, a_valid_alert())


HTTP_FAKES = {
    "datadog": (lambda tls: DatadogReceiver(api_key=DD_KEY, tls=tls), _datadog_send, 202),
    "splunk_hec": (lambda tls: SplunkHecReceiver(tls=tls), _splunk_send, 200),
    "pagerduty": (lambda tls: PagerDutyReceiver(tls=tls), _pagerduty_send, 202),
    "slack": (lambda tls: SlackReceiver(tls=tls), _slack_send, 200),
    "http_json": (lambda tls: HttpJsonReceiver(tls=tls), _http_json_send, 200),
}


@pytest.fixture(params=sorted(HTTP_FAKES))
def any_fake(request, receiver_tls):
    make, send, success = HTTP_FAKES[request.param]
    with make(receiver_tls) as receiver:
        yield receiver, (lambda: send(receiver)), success
        assert receiver.errors == []


def _open_sockets():
    sockets = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:"):
            sockets.add(target)
    return sockets


@pytest.fixture(scope="module", autouse=True)
def nothing_left_behind():
    sockets_before = _open_sockets()
    yield
    deadline = time.monotonic() + 2
    while True:
        threads = [thread.name for thread in threading.enumerate()
                   if "receiver" in thread.name or "process_request" in thread.name]
        sockets = _open_sockets() - sockets_before
        if not threads and not sockets or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert threads == [], f"threads of the fakes still running: {threads}"
    assert sockets == set(), f"sockets still open: {sockets}"


# --- the shared behaviour, on every HTTP fake ----------------------------------------


def test_a_valid_request_is_accepted_and_recorded(any_fake):
    receiver, send, success = any_fake
    status, _, _ = send()
    assert status == success
    assert len(receiver.wait_for(1, timeout=2)) == 1
    [request] = receiver.requests
    assert request.method == "POST" and request.tls and request.status == success
    assert receiver.counters == {"requests": 1, "accepted": 1, "rejected": 0, "injected": 0, "tls_failures": 0}


def test_tls_verifies_with_the_generated_ca_and_fails_without_it(any_fake):
    receiver, send, success = any_fake
    assert receiver.url.startswith("https://127.0.0.1:")
    with pytest.raises(urllib.error.URLError) as failure:
        call(receiver.url + "/", b"{}", context=ssl.create_default_context())
    assert isinstance(failure.value.reason, ssl.SSLCertVerificationError)
    assert send()[0] == success
    deadline = time.monotonic() + 2
    while receiver.counters["tls_failures"] < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert receiver.counters["tls_failures"] == 1
    assert receiver.counters["requests"] == 1


def test_refuse_then_come_back_on_the_same_port(any_fake):
    receiver, send, success = any_fake
    port = receiver.port
    receiver.refuse()
    with pytest.raises(urllib.error.URLError) as failure:
        send()
    assert isinstance(failure.value.reason, ConnectionRefusedError)
    receiver.come_back()
    assert receiver.port == port
    assert send()[0] == success


def test_fail_next_then_succeed(any_fake):
    receiver, send, success = any_fake
    receiver.fail_next(2, status=503)
    assert [send()[0] for _ in range(3)] == [503, 503, success]
    assert receiver.counters["injected"] == 2 and receiver.counters["accepted"] == 1
    assert [rejection.reason for rejection in receiver.rejections] == ["injected 503", "injected 503"]


def test_a_slow_answer_times_the_client_out_and_recovers(any_fake):
    receiver, send, success = any_fake
    receiver.slow(0.6)
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        call(receiver.url + "/", b"{}", ca_file=receiver.ca_file, timeout=0.2)
    receiver.slow(0)
    started = time.monotonic()
    assert send()[0] == success
    assert time.monotonic() - started < 0.5


INJECTED_BODIES = {
    "datadog": {400: {"errors": ["Bad Request"]}, 500: {"errors": ["Internal Server Error"]}},
    "splunk_hec": {400: {"text": "Invalid data format", "code": 6}, 500: {"text": "Internal server error", "code": 8}},
    "pagerduty": {400: {"status": "invalid event", "message": "Event object is invalid",
                        "errors": ["Event object is invalid"]},
                  500: {"status": "error", "message": "Internal server error"}},
    "slack": {400: "invalid_payload", 500: "rollup_error"},
    "http_json": {400: {"error": "injected failure 400"}, 500: {"error": "injected failure 500"}},
}


@pytest.mark.parametrize("name", sorted(HTTP_FAKES))
def test_injected_400_and_500_carry_the_service_error_body(receiver_tls, name):
    make, send, success = HTTP_FAKES[name]
    with make(receiver_tls) as receiver:
        receiver.bad_request(count=1)
        receiver.internal_error(count=1)
        answers = [send(receiver) for _ in range(2)]
        for (status, _, body), expected_status in zip(answers, (400, 500)):
            expected = INJECTED_BODIES[name][expected_status]
            assert status == expected_status
            assert (body.decode() if name == "slack" else json.loads(body)) == expected
        receiver.unavailable()
        assert send(receiver)[0] == 503
        receiver.recover()
        assert send(receiver)[0] == success


@pytest.mark.parametrize("name, header", [
    ("datadog", "X-RateLimit-Reset"), ("splunk_hec", "Retry-After"), ("pagerduty", "Retry-After"),
    ("slack", "Retry-After"), ("http_json", "Retry-After")])
def test_rate_limited_answers_429_with_the_service_header(receiver_tls, name, header):
    make, send, success = HTTP_FAKES[name]
    with make(receiver_tls) as receiver:
        receiver.rate_limit(retry_after=7, count=1)
        status, headers, _ = send(receiver)
        assert (status, headers[header]) == (429, "7")
        assert send(receiver)[0] == success


def test_a_fake_that_went_away_comes_back_by_itself(receiver_tls):
    with HttpJsonReceiver(tls=receiver_tls) as receiver:
        receiver.refuse(seconds=0.3)
        with pytest.raises(urllib.error.URLError):
            _http_json_send(receiver)
        deadline = time.monotonic() + 3
        while receiver.refusing and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _http_json_send(receiver)[0] == 200


def test_refuse_cuts_open_keep_alive_connections(receiver_tls):
    with HttpJsonReceiver(tls=False) as receiver:
        connection = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=2)
        body = json.dumps(a_valid_alert())
        connection.request("POST", "/", body, {"Content-Type": "application/json"})
        assert connection.getresponse().read() == b""
        receiver.refuse()
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            connection.request("POST", "/", body, {"Content-Type": "application/json"})
            connection.getresponse()
        connection.close()


def test_plain_http_and_a_ca_of_its_own_removed_on_stop():
    with HttpJsonReceiver(tls=False) as plain:
        assert plain.url.startswith("http://") and plain.ca_file is None
        assert _http_json_send(plain)[0] == 200
    receiver = HttpJsonReceiver(tls=True).start()
    ca_file = receiver.ca_file
    assert os.path.exists(ca_file)
    assert _http_json_send(receiver)[0] == 200
    receiver.stop()
    receiver.stop()
    assert not os.path.exists(ca_file)


def test_wait_for_says_what_the_fake_saw(http_json_receiver):
    post_json(http_json_receiver, http_json_receiver.endpoint_url, a_valid_alert(priority="Loud"))
    with pytest.raises(ReceiverError, match="rejected 1.*'priority' 'Loud'"):
        http_json_receiver.wait_for(1, timeout=0.2)


def test_chunked_bodies_are_read(http_json_receiver):
    receiver = http_json_receiver
    connection = http.client.HTTPSConnection("127.0.0.1", receiver.port, timeout=2,
                                             context=ssl.create_default_context(cafile=receiver.ca_file))
    chunks = iter([json.dumps(a_valid_alert()).encode()])
    connection.request("POST", "/", chunks, {"Content-Type": "application/json"}, encode_chunked=True)
    assert connection.getresponse().status == 200
    connection.close()
    assert receiver.requests[0].header("Transfer-Encoding") == "chunked"
    assert len(receiver.accepted) == 1


# --- Datadog ------------------------------------------------------------------------


def test_datadog_event_is_accepted(datadog_receiver):
    receiver = datadog_receiver
    event = {"title": "Container escape", "text": "release_agent written", "alert_type": "error",
             "tags": ["mitre_tactic:TA0004", "mitre_technique:T1611"], "aggregation_key": "node-1/escape",
             "source_type_name": "vigil", "host": "node-1", "priority": "normal",
             "date_happened": int(time.time()) - 60}
    status, _, body = post_json(receiver, receiver.events_url, event, {"DD-API-KEY": receiver.api_key})
    assert status == 202 and json.loads(body)["status"] == "ok"
    assert receiver.wait_for_events(1) == [event]


@pytest.mark.parametrize("headers, event, status, error", [
    ({}, {"title": "t", "text": "x"}, 403, "Forbidden"),
    ({"DD-API-KEY": "wrong"}, {"title": "t", "text": "x"}, 403, "Forbidden"),
    (None, {"text": "x"}, 400, "'title'"),
    (None, {"title": "t", "text": "x" * 4001}, 400, "over 4000"),
    (None, {"title": "t", "text": "x", "alert_type": "critical"}, 400, "'alert_type'"),
    (None, {"title": "t", "text": "x", "priority": "high"}, 400, "'priority'"),
    (None, {"title": "t", "text": "x", "tags": ["no-colon"]}, 400, "key:value"),
    (None, {"title": "t", "text": "x", "tags": "a:b"}, 400, "'tags'"),
    (None, {"title": "t", "text": "x", "aggregation_key": "k" * 101}, 400, "over 100"),
    (None, {"title": "t", "text": "x", "date_happened": int(time.time()) - 19 * 3600}, 400, "18 hours"),
    (None, {"title": "t", "text": "x", "date_happened": "now"}, 400, "integer"),
])
def test_datadog_invalid_events(datadog_receiver, headers, event, status, error):
    receiver = datadog_receiver
    headers = {"DD-API-KEY": receiver.api_key} if headers is None else headers
    answer, _, body = post_json(receiver, receiver.events_url, event, headers)
    assert answer == status
    assert error in json.loads(body)["errors"][0]
    assert receiver.events == [] and receiver.counters["rejected"] == 1


def test_datadog_logs_plain_and_gzip(datadog_receiver):
    receiver = datadog_receiver
    entries = [{"message": "alert one", "ddsource": "vigil", "ddtags": "env:prod,mitre_technique:T1611",
                "hostname": "node-1", "service": "vigil", "rule": "escape"}, {"message": "alert two"}]
    headers = {"DD-API-KEY": receiver.api_key}
    assert post_json(receiver, receiver.logs_url, entries, headers)[0] == 202
    status, _, body = post_json(receiver, receiver.logs_url, gzip.compress(json.dumps(entries).encode()),
                                {**headers, "Content-Encoding": "gzip"})
    assert (status, json.loads(body)) == (202, {})
    assert receiver.wait_for_logs(4) == entries + entries


def test_datadog_log_entries_over_1mb_are_accepted_and_marked_truncated(datadog_receiver):
    receiver = datadog_receiver
    entries = [{"message": "m" * 1_000_001}, {"message": "small"}]
    assert post_json(receiver, receiver.logs_url, entries, {"DD-API-KEY": receiver.api_key})[0] == 202
    assert len(receiver.logs) == 2 and len(receiver.truncated) == 1


@pytest.mark.parametrize("change, status, detail", [
    ({"DD-API-KEY": None}, 401, "missing"),
    ({"DD-API-KEY": "wrong"}, 403, "Forbidden"),
    ({"Content-Type": "text/plain"}, 400, "application/json"),
    ({"body": b"{\"message\": \"not an array\"}"}, 400, "not a JSON array"),
    ({"body": b"[{\"msg\": \"x\"}]"}, 400, "no 'message'"),
    ({"body": b"[{\"message\": \"x\", \"ddtags\": [\"a\"]}]"}, 400, "'ddtags'"),
    ({"body": b"[not json"}, 400, "Malformed JSON"),
    ({"body": json.dumps([{"message": "x"}] * 1001).encode()}, 413, "Payload too large"),
    ({"body": json.dumps([{"message": "x" * 900_000}] * 6).encode()}, 413, "Payload too large"),
    ({"Content-Encoding": "gzip"}, 400, "gzip"),
    ({"Content-Encoding": "br"}, 400, "Content-Encoding"),
])
def test_datadog_invalid_logs(datadog_receiver, change, status, detail):
    receiver = datadog_receiver
    headers = {"DD-API-KEY": receiver.api_key, "Content-Type": "application/json"}
    body = change.pop("body", b"[{\"message\": \"x\"}]")
    for name, value in change.items():
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    answer, _, response = call(receiver.logs_url, body, headers, ca_file=receiver.ca_file)
    assert answer == status
    [error] = json.loads(response)["errors"]
    assert error["status"] == str(status) and detail in error["detail"]
    assert receiver.logs == []


def test_datadog_injected_failures_use_the_endpoint_error_shape(datadog_receiver):
    receiver = datadog_receiver
    receiver.rate_limit(retry_after=2)
    status, headers, body = post_json(receiver, receiver.logs_url, [{"message": "x"}],
                                      {"DD-API-KEY": receiver.api_key})
    assert (status, headers["X-RateLimit-Remaining"]) == (429, "0")
    assert json.loads(body)["errors"][0]["status"] == "429"
    receiver.recover()
    receiver.fail(500)
    status, _, body = _datadog_send(receiver)
    assert status == 500 and json.loads(body) == {"errors": ["Internal Server Error"]}


# --- Splunk HEC ----------------------------------------------------------------------


def hec(receiver, body, token=None, headers=None, path="/services/collector/event"):
    headers = {"Authorization": f"Splunk {token or receiver.token}", **(headers or {})}
    status, _, response = call(receiver.url + path, body, headers, ca_file=receiver.ca_file)
    return status, json.loads(response)


def test_splunk_batch_of_concatenated_events(splunk_hec_receiver):
    receiver = splunk_hec_receiver
    events = [{"time": 1714564800.123, "host": "node-1", "source": "vigil", "sourcetype": "vigil:alert",
               "index": "main", "event": {"rule": f"r{n}"}, "fields": {"technique": "T1611", "n": n}}
              for n in range(3)]
    body = json.dumps(events[0]).encode() + b"\n" + concatenated(*events[1:])
    assert hec(receiver, body) == (200, {"text": "Success", "code": 0})
    assert receiver.wait_for(3) == events


@pytest.mark.parametrize("authorization, status, code", [
    (None, 401, 2), ("Bearer abc", 401, 3), ("Splunk", 401, 3), ("Splunk wrong-token", 403, 4),
    ("Splunk disabled-token", 403, 1)])
def test_splunk_token_problems(receiver_tls, authorization, status, code):
    with SplunkHecReceiver(disabled_tokens=["disabled-token"], tls=receiver_tls) as receiver:
        headers = {} if authorization is None else {"Authorization": authorization}
        answer, _, body = call(receiver.event_url, concatenated({"event": "x"}), headers, ca_file=receiver.ca_file)
        texts = {1: "Token disabled", 2: "Token is required", 3: "Invalid authorization", 4: "Invalid token"}
        assert (answer, json.loads(body)) == (status, {"text": texts[code], "code": code})


@pytest.mark.parametrize("body, code, text, number", [
    (b"", 5, "No data", None),
    (b"  \n", 5, "No data", None),
    (b"{\"event\": \"a\"}{broken", 6, "Invalid data format", 1),
    (b"[{\"event\": \"a\"}]", 6, "Invalid data format", 0),
    (b"{\"event\": \"a\", \"time\": \"1714564800\"}", 6, "Invalid data format", 0),
    (b"{\"event\": \"a\", \"host\": 7}", 6, "Invalid data format", 0),
    (b"{\"event\": \"a\"}{\"time\": 1}", 12, "Event field is required", 1),
    (b"{\"event\": \"\"}", 13, "Event field cannot be blank", 0),
    (b"{\"event\": null}", 13, "Event field cannot be blank", 0),
    (b"{\"event\": \"a\", \"index\": \"secret\"}", 7, "Incorrect index", None),
    (b"{\"event\": \"a\", \"fields\": {\"nested\": {\"a\": 1}}}", 15, "Error in handling indexed fields", 0),
])
def test_splunk_bad_data(splunk_hec_receiver, body, code, text, number):
    status, answer = hec(splunk_hec_receiver, body)
    expected = {"text": text, "code": code}
    if number is not None:
        expected["invalid-event-number"] = number
    assert (status, answer) == (400, expected)


def test_splunk_events_before_a_bad_one_are_indexed(splunk_hec_receiver):
    receiver = splunk_hec_receiver
    status, answer = hec(receiver, concatenated({"event": "a"}, {"event": "b"}, {"time": 1}, {"event": "d"}))
    assert (status, answer["code"], answer["invalid-event-number"]) == (400, 12, 2)
    assert [event["event"] for event in receiver.accepted] == ["a", "b"]


def test_splunk_acknowledgement(receiver_tls):
    with SplunkHecReceiver(ack=True, tls=receiver_tls) as receiver:
        assert hec(receiver, concatenated({"event": "a"})) == (400, {"text": "Data channel is missing", "code": 10})
        assert hec(receiver, concatenated({"event": "a"}), headers={"X-Splunk-Request-Channel": "nope"}) == (
            400, {"text": "Invalid data channel", "code": 11})
        channel = {"X-Splunk-Request-Channel": str(uuid.uuid4())}
        assert hec(receiver, concatenated({"event": "a"}), headers=channel) == (
            200, {"text": "Success", "code": 0, "ackId": 0})
        assert hec(receiver, concatenated({"event": "b"}, {"event": "c"}), headers=channel)[1]["ackId"] == 1
        receiver.hold_acks()
        query = json.dumps({"acks": [0, 1, 7]}).encode()
        assert hec(receiver, query, headers=channel, path="/services/collector/ack") == (
            200, {"acks": {"0": False, "1": False, "7": False}})
        assert receiver.acknowledged == [] and len(receiver.pending_acks) == 2
        receiver.release_acks()
        assert hec(receiver, query, headers=channel, path="/services/collector/ack") == (
            200, {"acks": {"0": True, "1": True, "7": False}})
        assert [event["event"] for event in receiver.wait_for_acknowledged(3)] == ["a", "b", "c"]
        # Reported once; the collector forgets an ackId it has reported true.
        assert hec(receiver, query, headers=channel, path="/services/collector/ack")[1] == {
            "acks": {"0": False, "1": False, "7": False}}
        assert hec(receiver, query, path="/services/collector/ack")[1]["code"] == 10


def test_splunk_acks_held_for_a_while(receiver_tls):
    with SplunkHecReceiver(ack=True, tls=receiver_tls) as receiver:
        channel = {"X-Splunk-Request-Channel": str(uuid.uuid4())}
        hec(receiver, concatenated({"event": "a"}), headers=channel)
        receiver.hold_acks(seconds=0.3)
        query = json.dumps({"acks": [0]}).encode()
        assert hec(receiver, query, headers=channel, path="/services/collector/ack")[1] == {"acks": {"0": False}}
        time.sleep(0.35)
        assert hec(receiver, query, headers=channel, path="/services/collector/ack")[1] == {"acks": {"0": True}}


def test_splunk_ack_endpoint_without_acknowledgement(splunk_hec_receiver):
    channel = {"X-Splunk-Request-Channel": str(uuid.uuid4())}
    assert hec(splunk_hec_receiver, b"{\"acks\": [0]}", headers=channel, path="/services/collector/ack") == (
        400, {"text": "ACK is disabled", "code": 14})


def test_splunk_health_and_busy(splunk_hec_receiver):
    receiver = splunk_hec_receiver
    health = receiver.url + "/services/collector/health"
    status, _, body = call(health, method="GET", ca_file=receiver.ca_file)
    assert (status, json.loads(body)) == (200, {"text": "HEC is healthy", "code": 17})
    receiver.unhealthy()
    status, _, body = call(health, method="GET", ca_file=receiver.ca_file)
    assert (status, json.loads(body)) == (503, {"text": "Server is busy", "code": 9})
    assert hec(receiver, concatenated({"event": "a"})) == (503, {"text": "Server is busy", "code": 9})
    receiver.healthy()
    receiver.fail_next(1, status=500)
    assert hec(receiver, concatenated({"event": "a"})) == (500, {"text": "Internal server error", "code": 8})
    assert hec(receiver, concatenated({"event": "a"}))[0] == 200


# --- PagerDuty -------------------------------------------------------------------------


def test_pagerduty_trigger_and_a_generated_dedup_key(pagerduty_receiver):
    receiver = pagerduty_receiver
    status, _, body = post_json(receiver, receiver.enqueue_url, a_valid_trigger("esc-1"))
    assert (status, json.loads(body)) == (202, {"status": "success", "message": "Event processed",
                                                "dedup_key": "esc-1"})
    status, _, body = post_json(receiver, receiver.enqueue_url, a_valid_trigger(None))
    assert status == 202 and len(json.loads(body)["dedup_key"]) == 32


def test_pagerduty_repeats_update_one_incident(pagerduty_receiver):
    receiver = pagerduty_receiver
    for _ in range(3):
        post_json(receiver, receiver.enqueue_url, a_valid_trigger("esc-1"))
    assert len(receiver.incidents) == 1 and receiver.incident("esc-1").trigger_count == 3
    ack = {"routing_key": PD_KEY, "event_action": "acknowledge", "dedup_key": "esc-1"}
    assert post_json(receiver, receiver.enqueue_url, ack)[0] == 202
    assert receiver.incident("esc-1").status == "acknowledged"
    assert post_json(receiver, receiver.enqueue_url, {**ack, "event_action": "resolve"})[0] == 202
    assert receiver.incident("esc-1").status == "resolved"
    post_json(receiver, receiver.enqueue_url, a_valid_trigger("esc-1"))
    assert [incident.status for incident in receiver.incidents] == ["resolved", "triggered"]
    # Resolving what is not open is accepted and changes nothing.
    assert post_json(receiver, receiver.enqueue_url, {**ack, "event_action": "resolve", "dedup_key": "gone"})[0] == 202
    assert len(receiver.incidents) == 2


@pytest.mark.parametrize("change, error", [
    ({"routing_key": "short"}, "Length of 'routing_key' is incorrect"),
    ({"routing_key": None}, "'routing_key' is missing"),
    ({"event_action": "escalate"}, "'event_action' is invalid"),
    ({"dedup_key": "d" * 256}, "'dedup_key' is too long"),
    ({"event_action": "resolve", "dedup_key": None}, "'dedup_key' is missing"),
    ({"payload": None}, "'payload' is missing"),
    ({"payload.summary": None}, "'payload.summary' is missing"),
    ({"payload.summary": "s" * 1025}, "'payload.summary' is too long"),
    ({"payload.source": ""}, "'payload.source' is missing"),
    ({"payload.severity": "high"}, "'payload.severity' is invalid"),
    ({"payload.timestamp": "yesterday"}, "not an ISO 8601"),
    ({"payload.custom_details": "text"}, "'payload.custom_details' is not an object"),
    ({"payload.component": 3}, "'payload.component' is not a string"),
    ({"links": [{"text": "no href"}]}, "a link has no 'href'"),
    ({"payload.custom_details": {"blob": "x" * 600_000}}, "over 524288"),
])
def test_pagerduty_invalid_events(pagerduty_receiver, change, error):
    receiver = pagerduty_receiver
    event = a_valid_trigger()
    for name, value in change.items():
        target, key = (event["payload"], name[8:]) if name.startswith("payload.") else (event, name)
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    status, _, body = post_json(receiver, receiver.enqueue_url, event)
    answer = json.loads(body)
    assert (status, answer["status"], answer["message"]) == (400, "invalid event", "Event object is invalid")
    assert any(error in text for text in answer["errors"]), answer["errors"]
    assert receiver.incidents == []


def test_pagerduty_rate_limits(receiver_tls):
    with PagerDutyReceiver(tls=receiver_tls, events_per_minute=2) as receiver:
        statuses = [post_json(receiver, receiver.enqueue_url, a_valid_trigger())[0] for _ in range(3)]
        assert statuses == [202, 202, 429]
        receiver.rate_limit(count=1, retry_after=3)
        status, headers, body = _pagerduty_send(receiver)
        assert (status, json.loads(body)["status"], headers["Retry-After"]) == (429, "throttle event", "3")


# --- Slack -----------------------------------------------------------------------------


def test_slack_text_and_blocks(slack_receiver):
    receiver = slack_receiver
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*escape*"}}]
    for message in ({"text": "alert"}, {"blocks": blocks}, {"text": "alert", "blocks": blocks}):
        status, headers, body = post_json(receiver, receiver.webhook_url, message)
        assert (status, body) == (200, b"ok")
    assert len(receiver.wait_for(3)) == 3


@pytest.mark.parametrize("path, headers, body, status, answer", [
    (None, {"Content-Type": "application/json"}, b"{}", 400, b"no_text"),
    (None, {"Content-Type": "application/json"}, b"{\"text\": \"\"}", 400, b"no_text"),
    (None, {"Content-Type": "application/json"}, b"not json", 400, b"invalid_payload"),
    (None, {"Content-Type": "application/json"}, b"{\"text\": 5}", 400, b"invalid_payload"),
    (None, {"Content-Type": "application/json"}, b"{\"blocks\": [{\"text\": \"x\"}]}", 400, b"invalid_blocks"),
    (None, {"Content-Type": "text/plain"}, b"{\"text\": \"x\"}", 400, b"invalid_payload"),
    ("/services/T0/B0/wrong", {"Content-Type": "application/json"}, b"{\"text\": \"x\"}", 404, b"no_service"),
])
def test_slack_invalid_messages(slack_receiver, path, headers, body, status, answer):
    receiver = slack_receiver
    url = receiver.url + path if path else receiver.webhook_url
    assert call(url, body, headers, ca_file=receiver.ca_file)[::2] == (status, answer)
    assert receiver.accepted == []


@pytest.mark.parametrize("status, answer", [
    (403, b"invalid_token"), (404, b"channel_not_found"), (410, b"channel_is_archived"), (500, b"rollup_error")])
def test_slack_failures_on_demand(slack_receiver, status, answer):
    slack_receiver.fail(status)
    assert _slack_send(slack_receiver)[::2] == (status, answer)
    slack_receiver.recover()
    assert _slack_send(slack_receiver)[::2] == (200, b"ok")


def test_slack_one_message_a_second(receiver_tls):
    with SlackReceiver(tls=receiver_tls, messages_per_second=1) as receiver:
        first, second = _slack_send(receiver), _slack_send(receiver)
        assert first[0] == 200
        assert (second[0], second[1]["Retry-After"], second[2]) == (429, "1", b"rate_limited")


# --- the common JSON alert shape ----------------------------------------------------------


def test_http_json_single_and_batch(http_json_receiver):
    receiver = http_json_receiver
    alert = a_valid_alert(time=rfc3339_now())
    assert post_json(receiver, receiver.endpoint_url, alert)[0] == 200
    assert post_json(receiver, receiver.endpoint_url, [alert, a_valid_alert(priority="Debug")])[0] == 200
    assert len(receiver.wait_for(3)) == 3


@pytest.mark.parametrize("change, error", [
    ({"rule": None}, "'rule' is missing"),
    ({"time": None}, "'time' is missing"),
    ({"output_fields": None}, "'output_fields' is missing"),
    ({"tags": "a,b"}, "'tags' is not a list"),
    ({"tags": ["a", 1]}, "'tags' holds"),
    ({"output_fields": []}, "'output_fields' is not a dict"),
    ({"priority": "critical"}, "'priority' 'critical'"),
    ({"time": "2024-05-01 12:00:00"}, "not an RFC 3339"),
    ({"time": "2024-13-01T12:00:00Z"}, "not an RFC 3339"),
    ({"hostname": 5}, "'hostname' is not a str"),
    ({"rule": ""}, "'rule' is empty"),
])
def test_http_json_invalid_alerts(http_json_receiver, change, error):
    receiver = http_json_receiver
    alert = a_valid_alert()
    for name, value in change.items():
        if value is None:
            del alert[name]
        else:
            alert[name] = value
    status, _, body = post_json(receiver, receiver.endpoint_url, alert)
    assert status == 400 and error in json.loads(body)["error"]


def test_http_json_bearer_token(receiver_tls):
    with HttpJsonReceiver(path="/alerts", token="s3cret", tls=receiver_tls) as receiver:
        assert post_json(receiver, receiver.endpoint_url, a_valid_alert())[0] == 401
        assert post_json(receiver, receiver.endpoint_url, a_valid_alert(),
                         {"Authorization": "Bearer s3cret"})[0] == 200
        assert post_json(receiver, receiver.url + "/", a_valid_alert())[0] == 404


# --- syslog ----------------------------------------------------------------------------------

GOOD = (b'<34>1 2024-05-01T12:00:00.123456+02:00 node-1 vigil 1234 ESCAPE '
        b'[alert@32473 rule="release_agent" technique="T1611" note="a \\"quoted\\" \\] \\\\ value"]'
        b'[origin ip="10.0.0.1"] \xef\xbb\xbfcontainer escape \xc3\xa9')


def test_syslog_parses_every_field():
    message = parse_rfc5424(GOOD)
    assert (message.facility, message.severity, message.version) == (4, 2, 1)
    assert message.timestamp == "2024-05-01T12:00:00.123456+02:00"
    assert message.time.utcoffset().total_seconds() == 7200
    assert (message.hostname, message.app_name, message.procid, message.msgid) == ("node-1", "vigil", "1234",
                                                                                  "ESCAPE")
    assert message.structured_data == {
        "alert@32473": {"rule": "release_agent", "technique": "T1611", "note": 'a "quoted" ] \\ value'},
        "origin": {"ip": "10.0.0.1"}}
    assert message.msg == "container escape é"
    nil = parse_rfc5424(b"<0>1 - - - - - -")
    assert (nil.timestamp, nil.hostname, nil.structured_data, nil.msg) == (None, None, {}, None)


@pytest.mark.parametrize("data, reason", [
    (b"1 2024-05-01T12:00:00Z h a p m - x", "no PRI"),
    (b"<192>1 2024-05-01T12:00:00Z h a p m - x", "PRI"),
    (b"<034>1 2024-05-01T12:00:00Z h a p m - x", "PRI"),
    (b"<34>2 2024-05-01T12:00:00Z h a p m - x", "VERSION"),
    (b"<34> 2024-05-01T12:00:00Z h a p m - x", "VERSION"),
    (b"<34>1 May  1 12:00:00 h a p m - x", "TIMESTAMP"),
    (b"<34>1 2024-05-01T12:00:00 h a p m - x", "TIMESTAMP"),
    (b"<34>1 2024-05-01t12:00:00Z h a p m - x", "TIMESTAMP"),
    (b"<34>1 2024-02-30T12:00:00Z h a p m - x", "TIMESTAMP"),
    (b"<34>1 2024-05-01T12:00:00.1234567Z h a p m - x", "TIMESTAMP"),
    (b"<34>1 2024-05-01T12:00:00Z h " + b"a" * 49 + b" p m - x", "APP-NAME"),
    (b"<34>1 2024-05-01T12:00:00Z h a p " + b"m" * 33 + b" - x", "MSGID"),
    (b"<34>1 2024-05-01T12:00:00Z h a p m", "fewer than"),
    (b"<34>1 2024-05-01T12:00:00Z h a p m x", "STRUCTURED-DATA"),
    (b'<34>1 2024-05-01T12:00:00Z h a p m [id k="v"', "not closed"),
    (b'<34>1 2024-05-01T12:00:00Z h a p m [id k="a]b"] x', "unescaped ']'"),
    (b'<34>1 2024-05-01T12:00:00Z h a p m [id k=v] x', "followed by"),
    (b'<34>1 2024-05-01T12:00:00Z h a p m [id][id] x', "twice"),
    (b'<34>1 2024-05-01T12:00:00Z h a p m [id]x', "followed by a space"),
    (b"<34>1 2024-05-01T12:00:00Z h a p m - \xef\xbb\xbf\xff", "BOM"),
])
def test_syslog_malformed_messages(data, reason):
    with pytest.raises(MalformedSyslog, match=reason):
        parse_rfc5424(data)


def test_syslog_over_udp_and_unix(syslog_receiver):
    receiver = syslog_receiver
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(GOOD, receiver.udp_address)
        udp.sendto(b"<13>Oct 11 22:14:15 an old BSD-style line", receiver.udp_address)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as local:
        local.sendto(b"<14>1 2024-05-01T12:00:00Z node-1 vigil - - - local", receiver.unix_path)
    messages = receiver.wait_for(2, timeout=2)
    assert [(m.transport, m.msg) for m in messages] == [("udp", "container escape é"), ("unix", "local")]
    [malformed] = receiver.wait_for_malformed(1, timeout=2)
    assert malformed.transport == "udp" and "VERSION" in malformed.reason
    assert receiver.counters == {"frames": 3, "messages": 2, "malformed": 1}


def test_syslog_tcp_octet_counting_and_lf_framing(syslog_receiver):
    receiver = syslog_receiver
    one = b"<14>1 2024-05-01T12:00:00Z node-1 vigil - - - first"
    two = b"<14>1 2024-05-01T12:00:01Z node-1 vigil - - - second line\nwith a newline inside"
    three = b"<14>1 2024-05-01T12:00:02Z node-1 vigil - - - third"
    with socket.create_connection(receiver.tcp_address, timeout=2) as tcp:
        framed = b"%d %s%d %s" % (len(one), one, len(two), two)
        tcp.sendall(framed[:10])
        time.sleep(0.05)  # a frame split across reads
        tcp.sendall(framed[10:] + three + b"\n")
        messages = receiver.wait_for(3, timeout=2)
    assert [m.msg for m in messages] == ["first", "second line\nwith a newline inside", "third"]
    assert [m.framing for m in messages] == ["octet-counting", "octet-counting", "non-transparent"]
    assert receiver.malformed == []


def test_syslog_tcp_broken_framing(syslog_receiver):
    receiver = syslog_receiver
    with socket.create_connection(receiver.tcp_address, timeout=2) as tcp:
        tcp.sendall(b"hello there\n")
        assert tcp.recv(10) == b""  # the receiver closes what it cannot frame
    with socket.create_connection(receiver.tcp_address, timeout=2) as tcp:
        tcp.sendall(b"60 <14>1 2024-05-01T12:00:00Z h a - - - cut short")
    malformed = receiver.wait_for_malformed(2, timeout=2)
    assert "neither an octet count" in malformed[0].reason
    assert "ended inside a frame" in malformed[1].reason
    assert receiver.messages == []


def test_syslog_refuse_and_come_back(syslog_receiver):
    receiver = syslog_receiver
    port, path = receiver.tcp_port, receiver.unix_path
    receiver.refuse()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(receiver.tcp_address, timeout=2).close()
    assert not os.path.exists(path)
    receiver.come_back()
    assert (receiver.tcp_port, receiver.unix_path) == (port, path)
    with socket.create_connection(receiver.tcp_address, timeout=2) as tcp:
        tcp.sendall(b"<14>1 - - - - - - back\n")
        assert receiver.wait_for(1, timeout=2)[0].msg == "back"


def test_syslog_slow_reader(syslog_receiver):
    receiver = syslog_receiver
    receiver.slow(0.3)
    started = time.monotonic()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"<14>1 - - - - - - one", receiver.udp_address)
        time.sleep(0.05)
        udp.sendto(b"<14>1 - - - - - - two", receiver.udp_address)
    receiver.wait_for(2, timeout=3)
    assert time.monotonic() - started >= 0.25
