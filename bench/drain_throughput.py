#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How many events per second the sensor's drain loop takes from the kernel and
dispatches to a detector, and how much sensor CPU each costs.

A benchmark plugin (bench/storm_plugin) sends one 80-byte record per getppid()
made inside a cgroup of the benchmark's own; generator processes in that cgroup
call getppid() as fast as they can. The sensor drains, decodes, updates its
process table, resolves the container, and hands each record to the plugin,
which counts it. Printed per run, then as medians:
  generated   getppid() calls made (each is one record offered to the ring)
  drained     records the sensor took from the ring
  lost        records the full ring had no room for (counted by the kernel)
  events/s    drained / duration
  cpu ns/evt  sensor CPU time / drained

Usage: sudo bench/drain_throughput.py [--runs 3] [--seconds 3] [--generators 1]
"""

import argparse
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench_support import BenchCgroup, Sensor, build_dir, median, process_cpu_seconds


def one_run(build: Path, seconds: float, generators: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="vigil-bench-"))
    plugins = work / "plugins"
    plugins.mkdir(mode=0o755)
    shutil.copy(build / "bench" / "plugins" / "storm.so", plugins)
    with BenchCgroup("storm") as cgroup:
        overrides = {
            "sensor": {"log_level": "info"},
            "plugins": {"storm": {"cgroup_id": cgroup.id}},
            "outputs": {"jsonl": {"enabled": False}},
        }
        sensor = Sensor(build, work, overrides, plugin_dir=plugins)
        sensor.start()
        pid = sensor.process.pid
        cpu_before = process_cpu_seconds(pid)
        started = time.monotonic()
        workers = [
            subprocess.Popen(cgroup.enter_command(f"{build}/bench/storm_generator {seconds}"),
                             stdout=subprocess.PIPE, text=True)
            for _ in range(generators)
        ]
        generated = sum(int(worker.communicate()[0]) for worker in workers)
        time.sleep(0.2)  # the last batch
        elapsed = time.monotonic() - started
        cpu = process_cpu_seconds(pid) - cpu_before
        sensor.stop()
    final = [line for line in sensor.stderr_text().splitlines() if "final statistics" in line][-1]
    match = re.search(r"storm/storm_events (\d+) records (\d+) lost", final)
    drained, lost = int(match.group(1)), int(match.group(2))
    shutil.rmtree(work, ignore_errors=True)
    return {
        "generated": generated,
        "drained": drained,
        "lost": lost,
        "events_per_second": drained / elapsed,
        "cpu_ns_per_event": cpu * 1e9 / drained if drained else float("nan"),
        "sensor_cpu_share": cpu / elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--generators", type=int, default=1)
    arguments = parser.parse_args()
    build = build_dir()
    results = []
    print(f"{'run':>3} {'generated':>10} {'drained':>10} {'lost':>8} {'events/s':>11} {'cpu ns/evt':>10} {'sensor cpu':>10}")
    for run in range(arguments.runs):
        result = one_run(build, arguments.seconds, arguments.generators)
        results.append(result)
        print(f"{run + 1:>3} {result['generated']:>10} {result['drained']:>10} {result['lost']:>8} "
              f"{result['events_per_second']:>11.0f} {result['cpu_ns_per_event']:>10.0f} "
              f"{result['sensor_cpu_share']:>9.0%}")
    print(f"median: {median([r['events_per_second'] for r in results]):.0f} events/s drained, "
          f"{median([r['cpu_ns_per_event'] for r in results]):.0f} ns of sensor CPU per event, "
          f"{median([r['lost'] / max(r['generated'], 1) for r in results]):.2%} lost "
          f"({arguments.generators} generator(s), {arguments.seconds:.0f} s per run)")


if __name__ == "__main__":
    main()
