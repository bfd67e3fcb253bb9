#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Time from a syscall to its alert line in the jsonl output.

The sensor runs with the injection detector and the jsonl output (dedup off).
The benchmark runs `injector ptrace attach` (tests/programs) again and again;
for each alert, latency = when the line was seen in the file minus the alert's
`time`, which is the kernel's timestamp of the syscall. The file is polled
every 0.2 ms, so a figure may be up to 0.2 ms late. Medians and tail printed.

Usage: sudo bench/alert_latency.py [--alerts 50] [--drain-interval-ms 10]
"""

import argparse
import json
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench_support import Sensor, build_dir, median, percentile


def unix_ns(rfc3339: str) -> int:
    seconds, fraction = rfc3339.rstrip("Z").split(".")
    whole = datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S")
    epoch = int((whole - datetime(1970, 1, 1)).total_seconds())
    return epoch * 1_000_000_000 + int(fraction.ljust(9, "0"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alerts", type=int, default=50)
    parser.add_argument("--drain-interval-ms", type=int, default=10,
                        help="the sensor's longest sleep between drains (alert records wake it at once anyway)")
    arguments = parser.parse_args()
    build = build_dir()
    work = Path(tempfile.mkdtemp(prefix="vigil-latency-"))
    sensor = Sensor(build, work, {"sensor": {"log_level": "info", "drain_interval_ms": arguments.drain_interval_ms}, "alerts": {"dedup_window_s": 0}})
    sensor.start()
    alerts_file = work / "alerts.jsonl"
    latencies_ms = []
    try:
        offset = 0
        for _ in range(arguments.alerts):
            subprocess.run([str(build / "tests" / "programs" / "injector"), "ptrace", "attach"],
                           check=True, stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 5
            found = None
            while found is None and time.monotonic() < deadline:
                if alerts_file.exists() and alerts_file.stat().st_size > offset:
                    seen = time.time_ns()
                    with open(alerts_file) as stream:
                        stream.seek(offset)
                        for line in stream:
                            if not line.endswith("\n"):
                                break
                            offset += len(line.encode())
                            alert = json.loads(line)
                            if alert["rule"] == "injection.ptrace_attach":
                                found = (seen - unix_ns(alert["time"])) / 1e6
                else:
                    time.sleep(0.0002)
            if found is None:
                raise SystemExit("no alert within 5 s")
            latencies_ms.append(found)
    finally:
        sensor.stop()
    print(f"{len(latencies_ms)} alerts, syscall to jsonl line: median {median(latencies_ms):.2f} ms, "
          f"p90 {percentile(latencies_ms, 0.9):.2f} ms, p99 {percentile(latencies_ms, 0.99):.2f} ms, "
          f"max {max(latencies_ms):.2f} ms")


if __name__ == "__main__":
    main()
