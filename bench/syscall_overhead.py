#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What the sensor adds to a syscall its detectors filter out in the kernel.

A loop of one syscall is timed under three configurations, alternated run
after run because absolute times on a shared VM drift by tens of percent:
  none     no sensor
  empty    a sensor whose only programs are empty ones on sys_enter_openat and
           sys_enter_connect (the floor of attaching anything there)
  vigil    the sensor with every detector of the default plugin directory:
           each one's programs run and drop the call in the kernel
The loops:
  openat   bench/openat_loop: openat()+close() of a read-only file
  connect  bench/connect_loop: connect() of a UDP socket to 127.0.0.1:9
And where they run:
  host       a host process: the container-only filters stop at the namespace check
  container  inside a runc container in the kubelet's cgroup layout: every
             filter reads the path or address before dropping it
Printed: ns per iteration per run, medians, and the ratios vigil/empty and
empty/none. The target (PERFORMANCE.md): vigil at most 1.3x the empty floor.

Usage: sudo bench/syscall_overhead.py [--syscall openat|connect] [--where host|container]
                                      [--rounds 5] [--iterations 1000000]
"""

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench_support import Sensor, build_dir, median
from containers import Bind, Container, Rootfs

LOOPS = {"openat": "openat_loop", "connect": "connect_loop"}


class HostRunner:
    def __init__(self, build: Path, loop: str):
        self.program = build / "bench" / loop

    def time(self, iterations: int) -> float:
        output = subprocess.run([str(self.program), str(iterations)], check=True, capture_output=True,
                                text=True).stdout
        return float(output)

    def close(self):
        pass


class ContainerRunner:
    """The loop, statically linked, run by `runc exec` in one idle container."""

    def __init__(self, build: Path, loop: str, work: Path):
        self.loop = loop
        rootfs = Rootfs.build(work / "rootfs")
        self.container = Container(rootfs, work / "containers", readonly_rootfs=True,
                                   binds=[Bind(str(build / "bench"), "/bench")])
        self.container.run()

    def time(self, iterations: int) -> float:
        completed = self.container.exec([f"/bench/{self.loop}", str(iterations)], timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"{self.loop} failed in the container: {completed.stderr}")
        return float(completed.stdout)

    def close(self):
        self.container.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syscall", choices=sorted(LOOPS), default="openat")
    parser.add_argument("--where", choices=("host", "container"), default="host")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    arguments = parser.parse_args()
    build = build_dir()
    work = Path(tempfile.mkdtemp(prefix="vigil-overhead-"))
    empty_plugins = work / "empty-plugins"
    empty_plugins.mkdir(mode=0o755)
    shutil.copy(build / "bench" / "plugins" / "empty_probe.so", empty_plugins)

    loop = LOOPS[arguments.syscall]
    if arguments.where == "host":
        runner = HostRunner(build, loop)
    else:
        runner = ContainerRunner(build, loop, work)
    quiet = {"sensor": {"log_level": "info"}, "outputs": {"jsonl": {"enabled": False}}}
    figures = {"none": [], "empty": [], "vigil": []}
    try:
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
                    figures[name].append(runner.time(arguments.iterations))
                finally:
                    if sensor:
                        sensor.stop()
            print(f"round {round_number + 1}: " +
                  ", ".join(f"{name} {values[-1]:.0f} ns" for name, values in figures.items()))
    finally:
        runner.close()
    none, empty, vigil = (median(figures[name]) for name in ("none", "empty", "vigil"))
    print(f"{arguments.syscall} from a {arguments.where} process, median ns per call: "
          f"none {none:.0f}, empty program {empty:.0f}, vigil {vigil:.0f}")
    print(f"vigil / empty floor: {vigil / empty:.2f}x (target at most 1.3x); "
          f"empty / none: {empty / none:.2f}x; vigil adds {vigil - none:.0f} ns over none")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
