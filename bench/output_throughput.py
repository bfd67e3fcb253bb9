#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How many alerts per second each output plugin delivers, through the real
sensor, to the loopback fakes of the integration tests
(tests/integration/receivers) on this machine.

For each output (syslog over udp, tcp and unix; http_json one alert per
request and batch = true; datadog logs, gzip; splunk_hec without and with
use_ack; pagerduty; slack with min_interval_ms = 0) the benchmark starts the
output's fake, then a sensor whose only detector is the storm benchmark plugin
(bench/storm_plugin) raising one storm.record alert per alert_every records,
with dedup off, the alert spool on (a file of its own in a temporary
directory) and that one output, routed to take storm.record. A generator in a
cgroup of the benchmark's own then makes M * alert_every getppid() calls in a
few milliseconds. The burst fits in the storm plugin's ring buffer whole, so
no record is lost however long the sensor takes to raise and spool the alerts;
the sensor then raises, spools and delivers them as fast as it and the fake
can. The fake stamps each alert as it takes it (the HTTP fakes once the
request has been read and checked, splunk_hec with use_ack when the sensor's
acknowledgement query comes back true, syslog as each message is parsed), and

  alerts/s   = alerts after the first arrival / time from the first arrival
               to the M-th (a batch's alerts arrive at one instant)
  e2e s      = from the generator's start to the M-th arrival
  cpu us     = the sensor's CPU time from the generator's start to the end
               of the measurement, per alert counted (all its threads:
               raising, spooling, formatting, TLS, sending); "-" for a run
               that was cut, which spooled more alerts than it counts
  cpu %      = that CPU time over that time, in % of one core: low when the
               sensor waits for the receiver

Also printed: what the sensor says at stop ("outputs stopped": delivered,
retried sends, rejected, dropped, still pending), records the ring lost,
duplicates and alerts missing at the fake (by the sequence number each alert
carries), and one baseline line, the jsonl output (a file this script polls
every millisecond): the sensor raising, spooling and writing alerts with no
network or receiver at all, the reference the other figures are compared to.

The fakes are Python: one thread per connection, all under one interpreter
lock, and every output sends over one connection, one request at a time. For
the HTTP outputs (TLS, JSON parsed and checked per alert in Python) the fake
is most likely the limit, not the sensor: those figures are a lower bound of
what the sensor delivers to a real service. Figures, never a pass mark.

M is --alerts for every output, and each run is cut at --max-seconds from
the generator's start: a slow output (pagerduty and slack, one HTTPS request
per alert; splunk_hec with use_ack, which waits ack_poll_interval_ms for each
batch of 64) is measured on what arrived by then, and the rest is left in its
spool (the "pending" column). The sensor then has 5 s to drain at stop, which
is why "delivered" can exceed the alerts counted.

Usage: sudo bench/output_throughput.py [--alerts 20000] [--max-seconds 15] [--only NAME ...]
                                       [--alert-every 1]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench_support import BenchCgroup, Sensor, build_dir, process_cpu_seconds
from receivers import (DatadogReceiver, HttpJsonReceiver, PagerDutyReceiver, SlackReceiver, SplunkHecReceiver,
                       SyslogReceiver, make_tls_files)

RULE = "storm.record"
# The storm plugin's ring buffer is 8 MiB and a storm record takes 88 bytes
# in it (80 and the ring's own header): about 95,000 records. A burst of at
# most this many is taken whole even by a sensor that drains nothing meanwhile.
RING_RECORDS = 90_000
# The storm plugin's summary ends with this; the number tells alerts apart.
SEQUENCE = re.compile(r"benchmark alert (\d+)\)")
SECRET = "0123456789abcdef0123456789abcdef"  # the fakes' default Datadog key and a valid PagerDuty routing key
HEC_TOKEN = "11111111-2222-3333-4444-555555555555"


class Arrivals:
    """When the fake took alerts: (monotonic time, how many), stamped on the
    fake's own thread as it takes them."""

    def __init__(self):
        self._lock = threading.Condition()
        self.stamps = []
        self.total = 0

    def note(self, count):
        now = time.monotonic()
        with self._lock:
            self.stamps.append((now, count))
            self.total += count
            self._lock.notify_all()

    def wait(self, count, stall_s, until):
        """Until `count` arrived ("complete"), the monotonic deadline `until`
        passed ("cut"), or nothing arrived for `stall_s` ("stalled")."""
        with self._lock:
            seen, progress = self.total, time.monotonic()
            while self.total < count:
                now = time.monotonic()
                if self.total != seen:
                    seen, progress = self.total, now
                if now >= until:
                    return "cut"
                if now - progress >= stall_s:
                    return "stalled"
                self._lock.wait(min(0.1, until - now))
            return "complete"

    def figures(self, count, until):
        """Of the arrivals up to the monotonic time `until`: (first arrival,
        arrival of the count-th or of the last, alerts from the first
        arrival's to that one, alerts in the first arrival)."""
        with self._lock:
            stamps = [stamp for stamp in self.stamps if stamp[0] <= until]
        if not stamps:
            return None
        first, first_count = stamps[0]
        taken = 0
        for stamp, number in stamps:
            taken += number
            if taken >= count:
                return first, stamp, min(taken, count), first_count
        return first, stamps[-1][0], taken, first_count


def stamp_http(receiver, arrivals, collection=None):
    """Counts what the fake accepts (collection None) or adds to `collection`.
    accept() and add_to() are what every HTTP fake calls for what it takes."""
    if collection is None:
        accept = receiver.accept

        def stamped_accept(items, collection=None):
            accept(items, collection)
            arrivals.note(len(items))

        receiver.accept = stamped_accept
    else:
        add_to = receiver.add_to

        def stamped_add_to(name, items):
            add_to(name, items)
            if name == collection:
                arrivals.note(len(items))

        receiver.add_to = stamped_add_to


def stamp_syslog(receiver, arrivals):
    # The syslog fake has no hook for this: _take_message is where every
    # datagram and TCP frame is parsed (malformed ones are counted apart).
    take = receiver._take_message

    def stamped_take(data, transport, framing):
        take(data, transport, framing)
        arrivals.note(1)

    receiver._take_message = stamped_take


class JsonlFile:
    """The baseline's "fake": the sensor's jsonl file, polled every millisecond.
    Polling only counts line ends, so that it takes little CPU from the sensor;
    the lines are read once at the end."""

    service = "jsonl"
    errors = ()

    def __init__(self, path, arrivals):
        self.path, self.arrivals = path, arrivals
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    @property
    def lines(self):
        return self.path.read_text(errors="replace").splitlines() if self.path.exists() else []

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _poll(self):
        offset = 0
        while not self._stop.is_set():
            try:
                with open(self.path, "rb") as stream:
                    stream.seek(offset)
                    data = stream.read()
            except FileNotFoundError:
                data = b""
            # Up to the last complete line: the rest is read again next time.
            complete = data.rfind(b"\n") + 1
            if complete:
                offset += complete
                self.arrivals.note(data.count(b"\n", 0, complete))
            else:
                time.sleep(0.001)


@dataclass
class Case:
    name: str
    start: object  # (tls, directory, arrivals) -> (fake, output table, items(fake) -> texts)


def secret_file(directory, name, value):
    path = Path(directory) / name
    path.write_text(value + "\n")
    path.chmod(0o600)
    return str(path)


def texts_of(items):
    return [json.dumps(item) for item in items]


def syslog_case(transport):
    def start(_tls, _directory, arrivals):
        fake = SyslogReceiver(udp=transport == "udp", tcp=transport == "tcp", unix=transport == "unix")
        stamp_syslog(fake, arrivals)
        fake.start()
        where = {"path": fake.unix_path} if transport == "unix" else \
            {"address": f"127.0.0.1:{fake.udp_port if transport == 'udp' else fake.tcp_port}"}
        return fake, {"plugin": "syslog", "transport": transport, **where}, \
            lambda f: [message.msg or "" for message in f.messages]
    return Case(f"syslog {transport}", start)


def http_json_case(batch):
    def start(tls, _directory, arrivals):
        fake = HttpJsonReceiver(tls=tls)
        stamp_http(fake, arrivals)
        fake.start()
        return fake, {"plugin": "http_json", "url": fake.endpoint_url, "ca_file": fake.ca_file, "batch": batch}, \
            lambda f: texts_of(f.accepted)
    return Case("http_json batch" if batch else "http_json", start)


def datadog_case():
    def start(tls, directory, arrivals):
        fake = DatadogReceiver(tls=tls)
        stamp_http(fake, arrivals)
        fake.start()
        table = {"plugin": "datadog", "url": fake.url, "ca_file": fake.ca_file,
                 "api_key_file": secret_file(directory, "datadog-api-key", fake.api_key)}
        return fake, table, lambda f: texts_of(f.logs)
    return Case("datadog logs gzip", start)


def splunk_case(use_ack):
    def start(tls, directory, arrivals):
        fake = SplunkHecReceiver(token=HEC_TOKEN, ack=use_ack, tls=tls)
        # With acknowledgement an alert is delivered once its ackId is reported true.
        stamp_http(fake, arrivals, "acknowledged" if use_ack else None)
        fake.start()
        table = {"plugin": "splunk_hec", "url": fake.url, "ca_file": fake.ca_file,
                 "token_file": secret_file(directory, "hec-token", HEC_TOKEN), "use_ack": use_ack}
        return fake, table, lambda f: texts_of(f.acknowledged if use_ack else f.accepted)
    return Case("splunk_hec use_ack" if use_ack else "splunk_hec", start)


def pagerduty_case():
    def start(tls, directory, arrivals):
        fake = PagerDutyReceiver(tls=tls)
        stamp_http(fake, arrivals)
        fake.start()
        table = {"plugin": "pagerduty", "url": fake.enqueue_url, "ca_file": fake.ca_file,
                 "routing_key_file": secret_file(directory, "pagerduty-routing-key", SECRET)}
        return fake, table, lambda f: texts_of(f.accepted)
    return Case("pagerduty", start)


def slack_case():
    def start(tls, directory, arrivals):
        fake = SlackReceiver(tls=tls)
        stamp_http(fake, arrivals)
        fake.start()
        # min_interval_ms = 0: the fake, not the output's pacing for the real Slack, sets the pace.
        table = {"plugin": "slack", "ca_file": fake.ca_file, "min_interval_ms": 0,
                 "webhook_url_file": secret_file(directory, "slack-webhook-url", fake.webhook_url)}
        return fake, table, lambda f: texts_of(f.accepted)
    return Case("slack", start)


CASES = [syslog_case("udp"), syslog_case("tcp"), syslog_case("unix"), http_json_case(False), http_json_case(True),
         datadog_case(), splunk_case(False), splunk_case(True), pagerduty_case(), slack_case()]
BASELINE = "jsonl (baseline)"


def output_figures(stderr, name):
    """The sensor's own account at stop, from its "outputs stopped" line."""
    lines = [line for line in stderr.splitlines() if "outputs stopped:" in line]
    match = re.search(rf"[\[ ]{re.escape(name)} (\d+) delivered (\d+) rejected (\d+) retried (\d+) dropped "
                      rf"\((\d+) spool full\) (\d+) pending", lines[-1]) if lines else None
    if not match:
        return None
    keys = ("delivered", "rejected", "retried", "dropped", "spool_full", "pending")
    return dict(zip(keys, map(int, match.groups())))


def ring_figures(stderr):
    lines = [line for line in stderr.splitlines() if "final statistics" in line]
    match = re.search(r"storm/storm_events (\d+) records (\d+) lost", lines[-1]) if lines else None
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def run_case(build, tls, name, start, count, arguments):
    """One output (start None: the jsonl baseline) with M = count; its figures."""
    work = Path(tempfile.mkdtemp(prefix="vigil-output-bench-"))
    try:
        return measure(build, tls, name, start, count, arguments, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(build, tls, name, start, count, arguments, work):
    plugins = work / "plugins"
    plugins.mkdir(mode=0o755)
    arrivals = Arrivals()
    output_name = "jsonl" if start is None else "bench_output"
    if start is None:
        fake = JsonlFile(work / "sensor" / "alerts.jsonl", arrivals).start()
        outputs = {"jsonl": {"enabled": True}}
        texts = lambda f: f.lines  # noqa: E731
    else:
        fake, table, texts = start(tls, work, arrivals)
        # Whatever the plugin's default route: any tactic, the storm rule only.
        outputs = {"jsonl": {"enabled": False},
                   output_name: {**table, "route": {"rules": [RULE], "tactics": []}}}
    result = {"name": name, "count": count}
    try:
        # The plugin directory holds the storm detector and the one output plugin of the run, nothing else.
        shutil.copy(build / "bench" / "plugins" / "storm.so", plugins)
        output_plugin = "jsonl" if start is None else table["plugin"]
        shutil.copy(build / "lib" / "vigil" / "plugins" / f"{output_plugin}.so", plugins)
        with BenchCgroup("outputs") as cgroup:
            overrides = {
                "sensor": {"log_level": "info"},
                "alerts": {"dedup_window_s": 0},
                "plugins": {"storm": {"cgroup_id": cgroup.id, "alert_every": arguments.alert_every}},
                "outputs": outputs,
            }
            sensor = Sensor(build, work / "sensor", overrides, plugin_dir=plugins)
            sensor.start()
            try:
                cpu_before = process_cpu_seconds(sensor.process.pid)
                started = time.monotonic()
                generator = subprocess.run(
                    cgroup.enter_command(f"{build}/bench/storm_generator 60 {count * arguments.alert_every}"),
                    check=True, capture_output=True, text=True)
                result["generated"] = int(generator.stdout)
                result["end"] = arrivals.wait(count, arguments.stall_seconds, started + arguments.max_seconds)
                # Arrivals while the sensor drains at stop are not counted.
                ended = time.monotonic()
                result["cpu"] = process_cpu_seconds(sensor.process.pid) - cpu_before
            finally:
                sensor.stop(timeout=30)
    finally:
        fake.stop()
    stderr = sensor.stderr_text()
    figures = arrivals.figures(count, ended)
    if figures:
        first, last, taken, first_count = figures
        result.update(received=taken, seconds=last - first, e2e=last - started,
                      rate=(taken - first_count) / (last - first) if last > first else float("nan"),
                      cpu_us=result["cpu"] * 1e6 / taken, cpu_share=result["cpu"] / (ended - started))
    else:
        result.update(received=0, seconds=float("nan"), e2e=float("nan"), rate=float("nan"), cpu_us=float("nan"),
                      cpu_share=float("nan"))
    result["sensor"] = output_figures(stderr, output_name)
    result["ring_records"], result["ring_lost"] = ring_figures(stderr)
    sequences = [int(match.group(1)) for text in texts(fake) for match in [SEQUENCE.search(text)] if match]
    result["duplicates"] = len(sequences) - len(set(sequences))
    # Gaps below the highest number that arrived (a cut run has not sent the rest yet).
    result["missing"] = max(sequences, default=0) - len(set(sequences))
    result["malformed"] = len(getattr(fake, "malformed", ()))
    rejections = [r for r in getattr(fake, "rejections", ()) if not r.injected]
    result["rejections"] = f"{len(rejections)} ({rejections[-1].status} {rejections[-1].reason})" if rejections else ""
    result["fake_errors"] = len(fake.errors)
    # "<time> <level> <message>": the sensor's complaints about delivery, if any, go under the figures.
    result["warnings"] = [line.split(" ", 1)[1] for line in stderr.splitlines()
                          if line.split(" ", 2)[1:2] in (["warning"], ["error"], ["critical"])
                          and any(word in line for word in ("output", "spool", "lost", "drop"))
                          # What a cut run leaves behind is in the pending column.
                          and "were not delivered before it stopped" not in line][:3]
    return result


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def print_row(result, baseline_rate):
    sensor = result["sensor"] or {}
    notes = []
    if result["end"] == "cut":
        notes.append("cut at --max-seconds")
    elif result["end"] == "stalled":
        notes.append(f"stalled: {result['received']} of {result['count']}, then nothing for "
                     "--stall-seconds")
    for key, label in (("duplicates", "duplicates"), ("missing", "missing at the fake (gaps)"),
                       ("malformed", "malformed"), ("ring_lost", "records lost in the ring"),
                       ("fake_errors", "errors inside the fake")):
        if result.get(key):
            notes.append(f"{result[key]} {label}")
    if result["rejections"]:
        notes.append(f"rejected by the fake: {result['rejections']}")
    if result["ring_lost"] is None or result["sensor"] is None:
        notes.append("the sensor's final statistics or 'outputs stopped' line not found in its log")
    ratio = f"{result['rate'] / baseline_rate:>8.2f}" if baseline_rate else f"{'-':>8}"
    # A cut run spooled all M alerts but counts fewer: no per-alert figure.
    cpu_us = f"{result['cpu_us']:>6.0f}" if result["end"] == "complete" else f"{'-':>6}"
    print(f"{result['name']:<20} {result['received']:>7} {result['seconds']:>8.2f} {result['rate']:>9.0f} "
          f"{ratio} {result['e2e']:>7.2f} {cpu_us} {result['cpu_share']:>5.0%} "
          f"{sensor.get('delivered', '?'):>9} {sensor.get('retried', '?'):>7} {sensor.get('rejected', '?'):>8} "
          f"{sensor.get('dropped', '?'):>7} {sensor.get('pending', '?'):>7}"
          + (f"  {'; '.join(notes)}" if notes else ""), flush=True)
    for line in result["warnings"]:
        print(f"{'':<20} sensor: {line[:150]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=20000, help="M, for every output")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only the outputs whose name contains NAME (e.g. syslog, 'syslog tcp', slack); "
                             "repeatable; 'jsonl' for the baseline alone")
    parser.add_argument("--max-seconds", type=float, default=15.0,
                        help="each output is measured on what arrived by this long after the generator's start")
    parser.add_argument("--stall-seconds", type=float, default=20.0,
                        help="give up on an output that received nothing for this long")
    parser.add_argument("--alert-every", type=int, default=1,
                        help="the storm plugin's alert_every (records per alert)")
    arguments = parser.parse_args()
    if arguments.alert_every < 1 or arguments.alerts < 1:
        parser.error("--alerts and --alert-every must be at least 1")
    if arguments.alerts * arguments.alert_every > RING_RECORDS:
        parser.error(f"--alerts x --alert-every must be at most {RING_RECORDS}: the whole burst must fit in the "
                     "storm plugin's ring buffer, or records (and so alerts) would be lost while the sensor works")
    build = build_dir()

    def wanted(name):
        return not arguments.only or any(part in name for part in arguments.only)

    cases = [case for case in CASES if wanted(case.name)]
    run_baseline = not arguments.only or wanted(BASELINE)
    print("Alert delivery through the real sensor to the loopback fakes of tests/integration/receivers.")
    print("The fakes are Python: one thread per connection under one interpreter lock, one connection per")
    print("output. For the HTTP outputs the fake is most likely the limit: their figures are a lower bound")
    print("of the sensor's rate, not its ceiling.")
    print("alerts/s: arrivals after the first / span (first to M-th arrival). vs jsonl: ratio to the jsonl")
    print("baseline (the sensor raising, spooling and writing alerts to a file). e2e: generator start to")
    print("M-th arrival. cpu us, cpu %: sensor CPU meanwhile, per alert and in % of one core (a low %: the")
    print("sensor waited for the receiver). delivered ... pending: the sensor's 'outputs stopped' line")
    print(f"(retried = sends); a run cut at {arguments.max_seconds:g} s leaves the rest pending in its spool.")
    print(f"storm alert_every {arguments.alert_every}; dedup off; spool on; {os.cpu_count()} CPUs; "
          f"load average {load_average()}")
    print(f"{'output':<20} {'alerts':>7} {'span s':>8} {'alerts/s':>9} {'vs jsonl':>8} {'e2e s':>7} {'cpu us':>6} "
          f"{'cpu %':>5} {'delivered':>9} {'retried':>7} {'rejected':>8} {'dropped':>7} {'pending':>7}", flush=True)

    tls = make_tls_files()
    baseline_rate = None
    try:
        if run_baseline:
            result = run_case(build, tls, BASELINE, None, arguments.alerts, arguments)
            baseline_rate = result["rate"]
            print_row(result, baseline_rate)
        for case in cases:
            print_row(run_case(build, tls, case.name, case.start, arguments.alerts, arguments), baseline_rate)
    finally:
        shutil.rmtree(tls.directory, ignore_errors=True)
    print(f"load average at the end {load_average()}")


if __name__ == "__main__":
    main()
