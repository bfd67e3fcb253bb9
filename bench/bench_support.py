# SPDX-License-Identifier: Apache-2.0
"""What the benchmarks share: the sensor harness of the integration tests,
medians, and a cgroup the benchmark's own processes run in."""

import os
import statistics
import sys
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))

import cgroups  # noqa: E402  (the harness modules live with the integration tests)
from sensor import Sensor  # noqa: E402,F401


def build_dir() -> Path:
    path = Path(os.environ.get("VIGIL_BUILD_DIR", SOURCE_DIR / "build"))
    if not (path / "bin" / "vigil").exists():
        sys.exit(f"no vigil binary in {path}/bin: build first (./scripts/build) or set VIGIL_BUILD_DIR")
    return path


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


class BenchCgroup:
    """A cgroup v2 directory of the benchmark's own, removed afterwards."""

    def __init__(self, name: str):
        self.path = cgroups.v2_root() / f"vigil-bench-{name}-{os.getpid()}"

    def __enter__(self):
        self.path.mkdir()
        return self

    def __exit__(self, *_):
        cgroups.remove_cgroup(self.path)

    @property
    def id(self) -> int:
        return self.path.stat().st_ino

    def enter_command(self, command: str) -> list:
        """A shell command line that moves itself into this cgroup, then runs @command."""
        return ["/bin/sh", "-c", f"echo $$ > {self.path}/cgroup.procs && exec {command}"]


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")
