#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The drift soak: benign workloads for many learning cycles, and what the
sensor raised and cost once their profile was stable.

A runc container runs busybox httpd under a client's load, a shell loop of
file I/O with ever new names, and a periodic job. The sensor learns it with
short periods (--learning-min, --learning-quiet), then the same workloads run
for --minutes more. Prints the drift alerts raised after the profile became
stable (target: 0), the profile's entries per class, the records the drift
ring carried before and after (known behaviour is filtered in the kernel),
and the sensor's CPU and memory. The integration test runs 20 s of the same.

    sudo /usr/bin/python3 bench/drift_soak.py --minutes 10
"""

import argparse
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

from bench_support import Sensor, build_dir, process_cpu_seconds, process_rss_kib
from containers import Container, Rootfs
import drift_workloads


def ring_records(sensor, ring="drift/drift_events"):
    """Records the drift ring carried, from the sensor's latest statistics line."""
    lines = sensor.stderr_lines_with("statistics")
    for line in reversed(lines):
        found = re.search(re.escape(ring) + r" (\d+) records", line)
        if found:
            return int(found.group(1))
    return None


def profile_classes(build, state):
    completed = subprocess.run([str(build / "bin" / "vigil"), "profiles", "--state-dir", str(state), "export"],
                               capture_output=True, text=True, check=True)
    profiles = json.loads(completed.stdout)["profiles"]
    return profiles[0]["classes"] if profiles else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=5.0, help="how long the stable workloads run")
    parser.add_argument("--learning-min", type=int, default=10, help="learning_min_s of the sensor")
    parser.add_argument("--learning-quiet", type=int, default=5, help="learning_quiet_s of the sensor")
    options = parser.parse_args()
    build = build_dir()
    with tempfile.TemporaryDirectory(prefix="vigil-drift-soak-") as work:
        work = Path(work)
        state = work / "state"
        config = {"sensor": {"state_directory": str(state), "stats_interval_s": 5},
                  "kubernetes": {"api_server": "none"},
                  "plugins": {"drift": {"learning_min_s": options.learning_min,
                                        "learning_quiet_s": options.learning_quiet,
                                        "learning_max_s": options.learning_min * 10, "save_interval_s": 1}}}
        with Sensor(build, work / "sensor", config) as sensor:
            rootfs = Rootfs.build(work / "rootfs")
            container = Container(rootfs, work / "containers")
            container.run()
            try:
                drift_workloads.start_benign(container)
                started = time.monotonic()
                while True:
                    drift_workloads.run_periodic(container, seconds=2)
                    classes = profile_classes(build, state)
                    if classes and all(classes[name]["state"] == "stable"
                                       for name in ("executables", "files", "connections", "listening")):
                        break
                print(f"profile stable after {time.monotonic() - started:.0f} s of learning")
                mark = sensor.alert_count()
                records_before = ring_records(sensor)
                cpu_before = process_cpu_seconds(sensor.process.pid)
                soak_started = time.monotonic()
                drift_workloads.run_periodic(container, seconds=options.minutes * 60)
                elapsed = time.monotonic() - soak_started
                time.sleep(6)  # one more statistics line
                records_after = ring_records(sensor)
                drift = [alert for alert in sensor.alerts(mark) if alert["rule"].startswith("drift.")]
                classes = profile_classes(build, state)
                print(f"stable for {elapsed / 60:.1f} min ({elapsed / (options.learning_min + options.learning_quiet):.0f} "
                      f"learning cycles)")
                print(f"drift alerts after stable: {len(drift)}")
                for alert in drift[:20]:
                    print(f"  {alert['rule']}: {alert['summary']}")
                print("entries per class: " + ", ".join(f"{name} {len(found['entries'])}"
                                                       for name, found in classes.items()))
                if records_before is not None and records_after is not None:
                    print(f"drift ring records while stable: {records_after - records_before} "
                          f"({(records_after - records_before) / elapsed:.1f}/s)")
                print(f"sensor CPU while stable: {100 * (process_cpu_seconds(sensor.process.pid) - cpu_before) / elapsed:.1f}%"
                      f" of one core; RSS {process_rss_kib(sensor.process.pid) / 1024:.1f} MiB")
            finally:
                container.delete()


if __name__ == "__main__":
    main()
