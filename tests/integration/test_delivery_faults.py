# SPDX-License-Identifier: Apache-2.0
"""Delivery under faults, output by output: for every output that talks to a
receiver, how many alerts raised while the receiver was away are delivered,
duplicated and lost, through the real sensor and the loopback fakes.

The spool's promise (nothing lost across a kill -9 and a restart, nothing
repeated that the receiver never took) is checked in test_spool.py for the
jsonl output only. Each network output has its own way of failing, answering
and batching, so each is put through the same faults here, and the counts are
printed side by side.

Two scenarios, each run against datadog (logs), splunk_hec, splunk_hec with
indexer acknowledgement, pagerduty, slack, http_json (batches) and syslog
over TCP:

- kill -9 mid-outage: the receiver is away from the start; the sensor takes
  the alerts into its spool, fails to send them, and is killed with SIGKILL
  (no drain, no shutdown). The receiver comes back and a second sensor on the
  same spool delivers them.
- receiver away then back: one alert is delivered first (so the outage also
  cuts the connection the output keeps open), then the receiver goes away, the
  alerts are raised, and it comes back after a few seconds of failed sends
  while the same sensor keeps retrying with backoff.

Each prints one line, `fault counts: <output>: <scenario>: generated N
delivered D duplicated U lost L` (run pytest with -s to see them), and then
checks: nothing lost, nothing duplicated (except where the output documents
at-least-once repeats), and the first copies in the order the alerts were
raised.

Other sensors may run on this machine at the same time and see the same
kernel events, and their alerts of the same rule reach these outputs too:
an alert is this test's when it is of the ptrace rule and names one of the
pids of the injector runs the test started."""

import re
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest

from alerts import read_alerts
from programs import program_path
from receivers.datadog import DatadogReceiver
from receivers.fixtures import receiver_tls  # noqa: F401
from receivers.http_json import HttpJsonReceiver
from receivers.pagerduty import DEFAULT_ROUTING_KEY, PagerDutyReceiver
from receivers.slack import SlackReceiver
from receivers.splunk_hec import SplunkHecReceiver
from receivers.syslog import SyslogReceiver
from sensor import Sensor

RULE = "injection.ptrace_attach"
COUNT = 8
HEC_TOKEN = "0b7e6f1c-2a3d-4e5f-8a9b-c0d1e2f3a4b5"
SYSLOG_SD_ID = "vigil@32473"

# Waits. The backoff's ceiling doubles up to 30 s, so after the receiver comes
# back the next retry may be that far away; 45 s covers it with room to spare.
PIPELINE_TIMEOUT_S = 30.0
FAILED_SEND_TIMEOUT_S = 15.0
DELIVERY_TIMEOUT_S = 45.0
STRAGGLERS_S = 1.0  # a duplicate would come right behind the last first copy
# How long the receiver stays away after the output first failed to reach it,
# when the sensor is not killed: several retries, each backing off longer.
OUTAGE_S = 2.0


# --- the outputs -------------------------------------------------------------------
#
# Per output: how to make its fake, how to configure the output against it, and
# how to read an alert back out of what the fake accepted, as (rule, pid).


def _secret(directory: Path, name: str, value: str) -> str:
    path = directory / name
    path.write_text(value + "\n")
    path.chmod(0o600)
    return str(path)


def _datadog_key(entry):
    return entry.get("rule"), (entry.get("process") or {}).get("pid")


def _splunk_hec_key(event):
    alert = event.get("event") if isinstance(event.get("event"), dict) else {}
    return alert.get("rule"), (alert.get("process") or {}).get("pid")


def _pagerduty_key(event):
    payload = event.get("payload") or {}
    process = (payload.get("custom_details") or {}).get("process") or {}
    return payload.get("class"), process.get("pid")


# The Process field of the message: "*Process*\n<exe> (pid <pid>)".
_SLACK_PROCESS = re.compile(r"\*Process\*\n.*\(pid (?P<pid>\d+)\)$", re.DOTALL)


def _slack_key(message):
    rule = pid = None
    for block in message.get("blocks") or []:
        for field in block.get("fields") or []:
            text = field.get("text", "")
            if text.startswith("*Rule*\n"):
                rule = text.split("\n", 1)[1]
            elif match := _SLACK_PROCESS.match(text):
                pid = int(match["pid"])
    return rule, pid


def _http_json_key(alert):
    return alert.get("rule"), (alert.get("output_fields") or {}).get("proc.pid")


def _syslog_key(message):
    element = message.structured_data.get(SYSLOG_SD_ID) or {}
    pid = element.get("pid")
    return message.msgid, int(pid) if pid and pid.isdigit() else None


@dataclass(frozen=True)
class Output:
    name: str  # the output instance in the configuration, and the test's id
    label: str  # in the printed counts
    plugin: str
    make: Callable  # (TlsFiles) -> a receiver, not started
    options: Callable  # (receiver, directory for secrets) -> the output's table, route aside
    items: Callable  # receiver -> what it accepted, in order of arrival
    key: Callable  # item -> (rule, pid)
    # What must also hold of this test's alerts before the output is done with
    # them (indexer acknowledgement), or None.
    settled: Optional[Callable] = None
    route: tuple = (("rules", (RULE,)),)
    # At-least-once with repeats documented for this fault (see the test).
    repeats_allowed: bool = False

    def table(self, receiver, secrets: Path) -> dict:
        route = {key: list(value) for key, value in self.route}
        return {"plugin": self.plugin, **self.options(receiver, secrets), "route": route}


OUTPUTS = [
    Output(
        "datadog", "datadog logs", "datadog",
        make=lambda tls: DatadogReceiver(tls=tls),
        options=lambda receiver, secrets: {
            "mode": "logs", "url": receiver.url, "ca_file": receiver.ca_file,
            "api_key_file": _secret(secrets, "datadog-api-key", receiver.api_key)},
        items=lambda receiver: receiver.logs,
        key=_datadog_key),
    Output(
        "splunk_hec", "splunk_hec", "splunk_hec",
        make=lambda tls: SplunkHecReceiver(token=HEC_TOKEN, tls=tls),
        options=lambda receiver, secrets: {
            "url": receiver.url, "ca_file": receiver.ca_file,
            "token_file": _secret(secrets, "hec-token", HEC_TOKEN)},
        items=lambda receiver: receiver.accepted,
        key=_splunk_hec_key),
    Output(
        "splunk_hec_ack", "splunk_hec use_ack", "splunk_hec",
        make=lambda tls: SplunkHecReceiver(token=HEC_TOKEN, ack=True, tls=tls),
        options=lambda receiver, secrets: {
            "url": receiver.url, "ca_file": receiver.ca_file,
            "token_file": _secret(secrets, "hec-token", HEC_TOKEN),
            "use_ack": True, "ack_poll_interval_ms": 100},
        items=lambda receiver: receiver.accepted,
        key=_splunk_hec_key,
        settled=lambda receiver: receiver.acknowledged,
        # Indexer acknowledgement is at-least-once by design: a batch whose ack
        # did not come in time is sent again, so repeats are allowed (and counted).
        repeats_allowed=True),
    Output(
        # The default route (high and up, TA0004 or TA0008) takes the ptrace
        # alert as well; the rule narrows it like the other outputs'.
        "pagerduty", "pagerduty", "pagerduty",
        make=lambda tls: PagerDutyReceiver(tls=tls),
        options=lambda receiver, secrets: {
            "url": receiver.enqueue_url, "ca_file": receiver.ca_file,
            "routing_key_file": _secret(secrets, "pagerduty-routing-key", DEFAULT_ROUTING_KEY)},
        items=lambda receiver: receiver.accepted,
        key=_pagerduty_key),
    Output(
        # The default route (Discovery, Execution) would not take the ptrace
        # alert (Defense Evasion, Privilege Escalation): any tactic, this rule.
        "slack", "slack", "slack",
        make=lambda tls: SlackReceiver(tls=tls),
        options=lambda receiver, secrets: {
            "webhook_url_file": _secret(secrets, "slack-webhook-url", receiver.webhook_url),
            "ca_file": receiver.ca_file, "min_interval_ms": 50},
        items=lambda receiver: receiver.accepted,
        key=_slack_key,
        route=(("tactics", ()), ("rules", (RULE,)))),
    Output(
        "http_json", "http_json batch", "http_json",
        make=lambda tls: HttpJsonReceiver(tls=tls),
        options=lambda receiver, secrets: {
            "url": receiver.endpoint_url, "ca_file": receiver.ca_file, "batch": True},
        items=lambda receiver: receiver.accepted,
        key=_http_json_key),
    Output(
        "syslog", "syslog tcp", "syslog",
        make=lambda tls: SyslogReceiver(udp=False, unix=False),
        options=lambda receiver, secrets: {
            "transport": "tcp", "address": f"127.0.0.1:{receiver.tcp_port}"},
        items=lambda receiver: receiver.messages,
        key=_syslog_key),
]


# --- helpers ------------------------------------------------------------------------


@contextmanager
def running(output: Output, tls):
    """The output's fake, started; stopped afterwards, and a fake that failed
    inside fails the test."""
    receiver = output.make(tls)
    with receiver:
        yield receiver
        errors = receiver.errors
    assert not errors, f"the {receiver.service} fake failed inside:\n" + "\n".join(errors)


def sensor_config(output: Output, receiver, tmp_path: Path, spool: Path = None) -> dict:
    secrets = tmp_path / "secrets"
    secrets.mkdir(exist_ok=True)
    alerts = {"dedup_window_s": 0}
    if spool is not None:
        alerts["spool_path"] = str(spool)
    return {"alerts": alerts, "outputs": {output.name: output.table(receiver, secrets)}}


def raise_alerts(build_dir: Path, count: int) -> list:
    """Runs the injector's ptrace attach @count times, one after the other;
    returns their pids in order."""
    injector = program_path(build_dir, "injector")
    pids = []
    for _ in range(count):
        process = subprocess.Popen([str(injector), "ptrace", "attach"], stdout=subprocess.DEVNULL)
        pids.append(process.pid)
        assert process.wait(timeout=30) == 0
    assert len(set(pids)) == count, f"a pid came twice: {pids}"
    return pids


def ours(keys, pids) -> list:
    """The pids of the test's alerts among (rule, pid) keys, in their order, with repeats."""
    wanted = set(pids)
    return [pid for rule, pid in keys if rule == RULE and pid in wanted]


def at_receiver(output: Output, receiver, pids, items=None) -> list:
    return ours(map(output.key, output.items(receiver) if items is None else items), pids)


def in_harness_output(sensor: Sensor, pids) -> list:
    """The test's alerts in the sensor's own jsonl output (the harness's, which always works)."""
    return ours(((alert.get("rule"), (alert.get("process") or {}).get("pid"))
                 for alert in read_alerts(sensor.alerts_path)), pids)


def delivered_everything(output: Output, receiver, pids) -> bool:
    if set(at_receiver(output, receiver, pids)) != set(pids):
        return False
    return output.settled is None or set(at_receiver(output, receiver, pids, output.settled(receiver))) == set(pids)


def wait_for(predicate, timeout: float, what: str, sensor: Sensor, receiver=None, seen=None):
    """Polls @predicate; fails when the sensor exits or @timeout passes, with
    what @seen() says (the test's alerts found so far), the fake's record and
    the sensor's log."""
    deadline = time.monotonic() + timeout
    while not predicate():
        running, late = sensor.running(), time.monotonic() >= deadline
        if not running or late:
            context = f"\n{seen()}" if seen is not None else ""
            context += f"\nthe fake: {_describe(receiver)}" if receiver is not None else ""
            problem = f"the sensor exited while waiting for {what}" if not running else \
                f"no {what} within {timeout} s"
            raise AssertionError(f"{problem}:{context}\n{sensor.stderr_tail()}")
        time.sleep(0.1)


def _describe(receiver) -> str:
    if hasattr(receiver, "describe"):
        return receiver.describe()
    malformed = "; ".join(item.reason for item in receiver.malformed[-3:])
    return f"{receiver.counters}" + (f"; last malformed: {malformed}" if malformed else "")


def failed_sends_logged(sensor: Sensor, output: Output) -> int:
    """How many times the output started failing (the sensor logs the first failed send of each run of them)."""
    return len(sensor.stderr_lines_with(f"output {output.name}: send failed, retrying"))


def count_faults(output: Output, scenario: str, pids: list, delivered: list) -> dict:
    """Prints the line the counts are collected from, and returns the counts."""
    counts = {"generated": len(pids), "delivered": len(set(delivered)),
              "duplicated": len(delivered) - len(set(delivered)), "lost": len(set(pids) - set(delivered))}
    print(f"\nfault counts: {output.label}: {scenario}: generated {counts['generated']} "
          f"delivered {counts['delivered']} duplicated {counts['duplicated']} lost {counts['lost']}", flush=True)
    return counts


def check_counts(output: Output, counts: dict, pids: list, delivered: list, sensor: Sensor):
    context = f"raised {pids}, delivered {delivered}\n{sensor.stderr_tail()}"
    assert counts["lost"] == 0, context
    if not output.repeats_allowed:
        # Nothing reached the receiver while it was away, so nothing was sent
        # without its answer coming back: no repeats.
        assert counts["duplicated"] == 0, context
    # Each of these outputs sends one request at a time, oldest alerts first
    # (and in a batch, in order), so the first copies arrive as raised.
    assert list(dict.fromkeys(delivered)) == pids, "not in the order they were raised: " + context


# --- the scenarios --------------------------------------------------------------------


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda output: output.name)
def test_kill_9_mid_outage_then_a_restart_on_the_same_spool_delivers_every_alert_once_in_order(
        build_dir, tmp_path, receiver_tls, output):  # noqa: F811
    with running(output, receiver_tls) as receiver:
        receiver.refuse()
        config = sensor_config(output, receiver, tmp_path, spool=tmp_path / "spool" / "spool.db")

        first = Sensor(build_dir, tmp_path / "first", config).start()
        try:
            pids = raise_alerts(build_dir, COUNT)
            # The harness's jsonl output shows the pipeline took every alert, so
            # each is in the spool for the output under test too.
            wait_for(lambda: set(in_harness_output(first, pids)) == set(pids), PIPELINE_TIMEOUT_S,
                     "alerts in the harness's jsonl output", first,
                     seen=lambda: f"raised {pids}, in the jsonl output {in_harness_output(first, pids)}")
            wait_for(lambda: failed_sends_logged(first, output) > 0, FAILED_SEND_TIMEOUT_S,
                     f"failed send of output {output.name}", first, receiver)
            assert at_receiver(output, receiver, pids) == [], \
                f"delivered while the receiver was away:\n{first.stderr_tail()}"
        finally:
            first.kill()  # SIGKILL: no drain, no shutdown
        assert first.exit_code == -9, first.stderr_tail()

        receiver.come_back()
        with Sensor(build_dir, tmp_path / "second", config) as second:
            assert second.stderr_lines_with(f"output {output.name}:", "from before the last stop wait in the spool"), \
                second.stderr_tail()
            wait_for(lambda: delivered_everything(output, receiver, pids), DELIVERY_TIMEOUT_S,
                     f"every alert at the {output.name} receiver after the restart", second, receiver,
                     seen=lambda: f"raised {pids}, at the fake {at_receiver(output, receiver, pids)}")
            time.sleep(STRAGGLERS_S)
        delivered = at_receiver(output, receiver, pids)

    counts = count_faults(output, "kill -9 mid-outage", pids, delivered)
    check_counts(output, counts, pids, delivered, second)


@pytest.mark.parametrize("output", OUTPUTS, ids=lambda output: output.name)
def test_receiver_away_then_back_delivers_every_alert_once_in_order(build_dir, tmp_path, receiver_tls,  # noqa: F811
                                                                    output):
    with running(output, receiver_tls) as receiver:
        with Sensor(build_dir, tmp_path / "sensor", sensor_config(output, receiver, tmp_path)) as sensor:
            # Reached once first: the outage then also cuts the connection the
            # output keeps open, not only refuses new ones.
            [warm_up] = raise_alerts(build_dir, 1)
            wait_for(lambda: delivered_everything(output, receiver, [warm_up]), DELIVERY_TIMEOUT_S,
                     "the first alert at the receiver", sensor, receiver)
            failing_before = failed_sends_logged(sensor, output)
            receiver.refuse()

            pids = raise_alerts(build_dir, COUNT)
            wait_for(lambda: set(in_harness_output(sensor, pids)) == set(pids), PIPELINE_TIMEOUT_S,
                     "alerts in the harness's jsonl output", sensor,
                     seen=lambda: f"raised {pids}, in the jsonl output {in_harness_output(sensor, pids)}")
            wait_for(lambda: failed_sends_logged(sensor, output) > failing_before, FAILED_SEND_TIMEOUT_S,
                     f"failed send of output {output.name}", sensor, receiver)
            time.sleep(OUTAGE_S)
            assert at_receiver(output, receiver, pids) == [], \
                f"delivered while the receiver was away:\n{sensor.stderr_tail()}"

            receiver.come_back()
            wait_for(lambda: delivered_everything(output, receiver, pids), DELIVERY_TIMEOUT_S,
                     f"every alert at the {output.name} receiver after it came back", sensor, receiver,
                     seen=lambda: f"raised {pids}, at the fake {at_receiver(output, receiver, pids)}")
            time.sleep(STRAGGLERS_S)
        delivered = at_receiver(output, receiver, pids)

    counts = count_faults(output, "receiver away then back", pids, delivered)
    check_counts(output, counts, pids, delivered, sensor)
