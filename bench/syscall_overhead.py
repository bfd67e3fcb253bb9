#!/usr/bin/env python3
"""What the sensor adds to a syscall its detectors filter out in the kernel.

An openat()+close() loop (bench/openat_loop, read-only opens of /etc/hostname,
1M iterations) is timed under three configurations, alternated run after run
because absolute times on a shared VM drift by tens of percent:
  none     no sensor
  empty    a sensor whose only program on sys_enter_openat is empty (the floor
           of attaching anything there)
  vigil    the sensor with its real plugins: the injection detector's openat
           program runs and drops the read-only open in the kernel
Printed: ns per iteration per run, medians, and the ratios vigil/empty and
empty/none. The target (PERFORMANCE.md): vigil at most 1.3x the empty floor.

Usage: sudo bench/syscall_overhead.py [--rounds 5] [--iterations 1000000]
"""

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench_support import Sensor, build_dir, median


def time_loop(build: Path, iterations: int) -> float:
    output = subprocess.run([str(build / "bench" / "openat_loop"), str(iterations)],
                            check=True, capture_output=True, text=True).stdout
    return float(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    arguments = parser.parse_args()
    build = build_dir()
    work = Path(tempfile.mkdtemp(prefix="vigil-overhead-"))
    empty_plugins = work / "empty-plugins"
    empty_plugins.mkdir(mode=0o755)
    shutil.copy(build / "bench" / "plugins" / "empty_probe.so", empty_plugins)

    quiet = {"sensor": {"log_level": "info"}, "outputs": {"jsonl": {"enabled": False}}}
    figures = {"none": [], "empty": [], "vigil": []}
    for round_number in range(arguments.rounds):
        for name in ("none", "empty", "vigil"):
            sensor = None
            if name == "empty":
                sensor = Sensor(build, work / f"{name}-{round_number}", quiet, plugin_dir=empty_plugins)
            elif name == "vigil":
                sensor = Sensor(build, work / f"{name}-{round_number}", quiet)
            if sensor:
                sensor.start()
            try:
                figures[name].append(time_loop(build, arguments.iterations))
            finally:
                if sensor:
                    sensor.stop()
        print(f"round {round_number + 1}: " +
              ", ".join(f"{name} {values[-1]:.0f} ns" for name, values in figures.items()))
    none, empty, vigil = (median(figures[name]) for name in ("none", "empty", "vigil"))
    print(f"median ns per openat+close: none {none:.0f}, empty program {empty:.0f}, vigil {vigil:.0f}")
    print(f"vigil / empty floor: {vigil / empty:.2f}x (target at most 1.3x); "
          f"empty / none: {empty / none:.2f}x; vigil adds {vigil - none:.0f} ns over none")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
