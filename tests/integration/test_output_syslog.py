# SPDX-License-Identifier: Apache-2.0
"""The syslog output, end to end: the real sensor sends RFC 5424 messages to
the loopback syslog fake (TCP with octet counting, UDP, the unix datagram
socket), which parses every one against RFC 5424 and counts what it cannot.

Other sensors may run on this machine at the same time, and this sensor sees
their processes too: every check compares what reached the fake with this
sensor's own jsonl output, alert by alert, never with a fixed count."""

import collections
import json
import re
import subprocess
import time

import pytest

from alerts import Match
from programs import program_path
from receivers.fixtures import syslog_receiver  # noqa: F401
from sensor import Sensor

BOM = b"\xef\xbb\xbf"
SD_ID = "vigil@32473"


def _overrides(**syslog):
    return {"alerts": {"dedup_window_s": 0}, "outputs": {"syslog": {"plugin": "syslog", **syslog}}}


def _ptrace(build_dir, count=1):
    injector = program_path(build_dir, "injector")
    for _ in range(count):
        subprocess.run([str(injector), "ptrace", "attach"], check=True, stdout=subprocess.DEVNULL)


def _micro_time(rfc3339):
    """'...T22:13:20.123456789Z' -> '...T22:13:20.123456Z' (syslog keeps six digits)."""
    match = re.fullmatch(r"(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z", rfc3339)
    return f"{match.group(1)}.{(match.group(2) or '').ljust(6, '0')[:6]}Z"


def _alert_key(alert):
    return (alert["rule"][:32], _micro_time(alert["time"]), str(alert.get("process", {}).get("pid", "")))


def _message_key(message):
    return (message.msgid, message.timestamp, message.structured_data[SD_ID].get("pid", ""))


def _wait_until_delivered(sensor, receiver, timeout=60.0):
    """Waits until every alert in the sensor's jsonl file reached the fake;
    returns (alerts, Counter of message keys)."""
    deadline = time.monotonic() + timeout
    while True:
        alerts = sensor.alerts()
        delivered = collections.Counter(_message_key(m) for m in receiver.messages)
        missing = [key for key in map(_alert_key, alerts) if key not in delivered]
        if not missing:
            return alerts, delivered
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(missing)} of {len(alerts)} alerts never reached the syslog fake: "
                                 f"{missing[:5]}; fake: {receiver.counters}; malformed: {receiver.malformed[:3]}\n"
                                 f"sensor stderr:\n{sensor.stderr_tail(30)}")
        time.sleep(0.1)


def test_an_alert_arrives_over_tcp_as_rfc5424_with_vigils_element(build_dir, tmp_path, syslog_receiver):
    address = f"127.0.0.1:{syslog_receiver.tcp_port}"
    with Sensor(build_dir, tmp_path / "sensor", _overrides(transport="tcp", address=address)) as sensor:
        _ptrace(build_dir)
        alert = sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _wait_until_delivered(sensor, syslog_receiver)
        [message] = [m for m in syslog_receiver.messages if _message_key(m) == _alert_key(alert)]
        sensor_pid = sensor.process.pid
    assert not syslog_receiver.malformed
    assert message.transport == "tcp" and message.framing == "octet-counting"
    assert (message.facility, message.severity, message.version) == (16, 3, 1)  # local0, err
    assert message.hostname == alert["k8s"]["node"]
    assert (message.app_name, message.procid, message.msgid) == ("vigil", str(sensor_pid), "injection.ptrace_attach")
    assert message.time is not None and message.time.utcoffset().total_seconds() == 0
    element = message.structured_data[SD_ID]
    assert element["rule"] == "injection.ptrace_attach" and element["severity"] == "high"
    assert element["tactic"].split(",") == [t["id"] for t in alert["mitre"]["tactics"]]
    assert "T1055.008" in element["technique"].split(",")
    assert element["exe"] == alert["process"]["exe"]
    assert "container" not in element  # a host process
    assert message.msg_bytes.startswith(BOM) and message.msg == alert["summary"]


def test_the_unix_socket_takes_the_alert_as_json(build_dir, tmp_path, syslog_receiver):
    overrides = _overrides(transport="unix", path=syslog_receiver.unix_path, message="json", facility="auth")
    with Sensor(build_dir, tmp_path / "sensor", overrides) as sensor:
        _ptrace(build_dir)
        alert = sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _wait_until_delivered(sensor, syslog_receiver)
    [message] = [m for m in syslog_receiver.messages if _message_key(m) == _alert_key(alert)]
    assert message.transport == "unix" and message.facility == 4
    assert json.loads(message.msg) == alert
    assert not syslog_receiver.malformed


def test_a_message_over_the_bound_is_cut_not_dropped(build_dir, tmp_path, syslog_receiver):
    overrides = _overrides(transport="udp", address=f"127.0.0.1:{syslog_receiver.udp_port}", message="json",
                           max_message_bytes=480)
    with Sensor(build_dir, tmp_path / "sensor", overrides) as sensor:
        _ptrace(build_dir)
        alert = sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _wait_until_delivered(sensor, syslog_receiver)
        assert sensor.stderr_lines_with("syslog", "cut to max_message_bytes = 480"), sensor.stderr_tail()
    [message] = [m for m in syslog_receiver.messages if _message_key(m) == _alert_key(alert)]
    assert len(message.raw) <= 480 and message.transport == "udp"
    assert int(message.structured_data[SD_ID]["msg_octets"]) > 480  # the whole alert's JSON
    assert message.msg.startswith('{"time":"') and len(message.msg_bytes) > 100  # as much as fits
    assert not syslog_receiver.malformed


@pytest.mark.parametrize("transport", ["tcp", "unix", "udp"])
def test_every_alert_raised_while_the_receiver_is_away_is_delivered_once(build_dir, tmp_path, syslog_receiver,
                                                                         transport):
    where = {"tcp": {"address": f"127.0.0.1:{syslog_receiver.tcp_port}"},
             "udp": {"address": f"127.0.0.1:{syslog_receiver.udp_port}"},
             "unix": {"path": syslog_receiver.unix_path}}[transport]
    with Sensor(build_dir, tmp_path / "sensor", _overrides(transport=transport, **where)) as sensor:
        _ptrace(build_dir)
        # The first alert must have reached the fake before it goes away: a
        # datagram still unread in a socket that closes is lost by any receiver.
        sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        _wait_until_delivered(sensor, syslog_receiver)  # connected, and the path works
        syslog_receiver.refuse()
        before = sensor.alert_count()
        _ptrace(build_dir, 5)
        deadline = time.monotonic() + 10
        while sum(a["rule"] == "injection.ptrace_attach" for a in sensor.alerts(before)) < 5:
            assert time.monotonic() < deadline, sensor.stderr_tail()
            time.sleep(0.05)
        time.sleep(2.0)  # the output keeps failing and backing off meanwhile
        assert sensor.stderr_lines_with("output syslog", "retrying"), sensor.stderr_tail()
        syslog_receiver.come_back()
        alerts, delivered = _wait_until_delivered(sensor, syslog_receiver)
    duplicated = {key: count for key, count in delivered.items() if count > 1}
    assert not duplicated, duplicated
    assert not syslog_receiver.malformed
    assert len(alerts) >= 6
