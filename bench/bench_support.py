# SPDX-License-Identifier: Apache-2.0
"""What the benchmarks share: the sensor harness of the integration tests,
medians, a cgroup the benchmark's own processes run in, and the kernel's
run-time statistics of the sensor's BPF programs."""

import atexit
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))
# runc state and the cgroup ledger of the benchmarks' containers, apart from
# the integration tests' (/run/vigil-test): a test run on the same machine
# sweeps its own leftovers there and would delete a benchmark's containers.
os.environ.setdefault("VIGIL_TEST_STATE_DIR", "/run/vigil-bench")

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


def process_peak_rss_kib(pid: int) -> int:
    """VmHWM: the most the process ever had resident, in KiB."""
    return _status_kib(pid, "VmHWM:")


def process_rss_kib(pid: int) -> int:
    return _status_kib(pid, "VmRSS:")


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# -- BPF program statistics -----------------------------------------------------

BPF_STATS_SYSCTL = Path("/proc/sys/kernel/bpf_stats_enabled")


def _terminate(signum, _frame):
    # SystemExit unwinds through every finally block, as Ctrl-C does.
    raise SystemExit(128 + signum)


def clean_up_on_termination():
    """SIGTERM and SIGHUP unwind like Ctrl-C, so that a benchmark that is
    stopped still stops its sensor, deletes its containers and restores
    what it changed."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)


@contextlib.contextmanager
def bpf_stats_enabled():
    """kernel.bpf_stats_enabled = 1 for the with block: the kernel then counts
    every program's runs and their time (run_cnt, run_time_ns), at the price of
    two clock reads per run. The previous value is put back afterwards, also
    on an exception, Ctrl-C, SIGTERM or SIGHUP, and at interpreter exit."""
    previous = BPF_STATS_SYSCTL.read_text().strip()

    def restore():
        BPF_STATS_SYSCTL.write_text(previous)

    atexit.register(restore)
    handlers = {signum: signal.signal(signum, _terminate) for signum in (signal.SIGTERM, signal.SIGHUP)}
    try:
        BPF_STATS_SYSCTL.write_text("1")
        yield
    finally:
        restore()
        atexit.unregister(restore)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def _fdinfo_field(pid: int, fd: str, field: str):
    try:
        for line in Path(f"/proc/{pid}/fdinfo/{fd}").read_text().splitlines():
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def _bpf_program_fds(pid: int):
    """(fd number, program id) of every BPF program a process holds a file descriptor of."""
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(entry) != "anon_inode:bpf-prog":
                continue
        except OSError:
            continue
        prog_id = _fdinfo_field(pid, entry.name, "prog_id")
        if prog_id:
            yield entry.name, int(prog_id)


def process_bpf_program_ids(pid: int) -> set:
    """The ids of the BPF programs a process holds a file descriptor of."""
    ids = set()
    for _, prog_id in _bpf_program_fds(pid):
        ids.add(prog_id)
    return ids


def foreign_bpf_programs(own_pid=None) -> dict:
    """The BPF programs of the node that @own_pid (the benchmark's sensor, if
    any) does not hold: another sensor's, a test run's. They run in the
    benchmark's measurements too. id -> name."""
    own = process_bpf_program_ids(own_pid) if own_pid else set()
    foreign = {prog_id: program.get("name", "?") for prog_id, program in bpf_programs().items() if prog_id not in own}
    if foreign:
        # A sensor that just exited leaves its programs to be freed a moment later.
        time.sleep(0.3)
        still = bpf_programs()
        foreign = {prog_id: name for prog_id, name in foreign.items() if prog_id in still}
    return foreign


def bpf_programs() -> dict:
    """Every BPF program of the node, by id, as `bpftool prog show` tells it:
    name, type, run_time_ns and run_cnt (0 unless stats are enabled), btf_id,
    map_ids, pids (the processes holding it)."""
    output = subprocess.run(["bpftool", "prog", "show", "--json"], check=True, capture_output=True,
                            text=True).stdout
    return {program["id"]: program for program in json.loads(output or "[]")}


def bpf_map_names() -> dict:
    output = subprocess.run(["bpftool", "map", "show", "--json"], check=True, capture_output=True,
                            text=True).stdout
    return {entry["id"]: entry.get("name", "") for entry in json.loads(output or "[]")}


def bpf_program_owners(programs: dict, ids, plugin_names) -> dict:
    """Which plugin (or "core") each program comes from, for display: programs
    of one object share its BTF, and an object's global data maps are named
    after it with at most 8 characters ("escape.rodata", "cryptomi.rodata"),
    its ring buffers with 15 ("injection_event"). id -> owner, "" if unknown
    (an object without maps, such as the empty probe's)."""
    maps = bpf_map_names()
    core_objects = [path.name[: -len(".bpf.c")] for path in (SOURCE_DIR / "core" / "probes").glob("*.bpf.c")]
    candidates = [(name, name) for name in plugin_names] + [(name, "core") for name in core_objects]
    maps_of_btf = {}
    for prog_id in ids:
        program = programs.get(prog_id)
        if program is not None:
            maps_of_btf.setdefault(program.get("btf_id"), set()).update(program.get("map_ids", []))
    owner_of_btf = {}
    for btf_id, map_ids in maps_of_btf.items():
        prefixes = {maps.get(map_id, "").split(".", 1)[0] for map_id in map_ids if "." in maps.get(map_id, "")}
        owner_of_btf[btf_id] = next((owner for name, owner in candidates
                                     if any(prefix and name.startswith(prefix) for prefix in prefixes)), "")
    return {prog_id: owner_of_btf.get(programs[prog_id].get("btf_id"), "") for prog_id in ids if prog_id in programs}


class ProgramStatistics:
    """run_cnt and run_time_ns of the BPF programs a process holds, snapshot
    by snapshot; delta() gives what ran in between, per program.

    A snapshot reads /proc/<pid>/fdinfo of one of the process's fds per
    program, opened once here: it then costs two syscalls per program (lseek
    and read), and no open that the programs being measured would see."""

    def __init__(self, pid: int, plugin_names=()):
        self.fdinfo = {}
        for fd, prog_id in _bpf_program_fds(pid):
            if prog_id not in self.fdinfo:
                self.fdinfo[prog_id] = os.open(f"/proc/{pid}/fdinfo/{fd}", os.O_RDONLY)
        self.ids = set(self.fdinfo)
        programs = bpf_programs()
        self.owners = bpf_program_owners(programs, self.ids, plugin_names)
        self.names = {prog_id: programs[prog_id].get("name", f"id {prog_id}")
                      for prog_id in self.ids if prog_id in programs}

    def snapshot(self) -> dict:
        """id -> (run_cnt, run_time_ns)."""
        counts = {}
        for prog_id, fd in self.fdinfo.items():
            os.lseek(fd, 0, os.SEEK_SET)
            fields = dict(line.split(":", 1) for line in os.read(fd, 4096).decode().splitlines() if ":" in line)
            counts[prog_id] = (int(fields.get("run_cnt", 0)), int(fields.get("run_time_ns", 0)))
        return counts

    def label(self, prog_id: int) -> str:
        owner = self.owners.get(prog_id)
        name = self.names.get(prog_id, f"id {prog_id}")
        return f"{owner}/{name}" if owner else name

    def close(self):
        for fd in self.fdinfo.values():
            os.close(fd)
        self.fdinfo = {}

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    @staticmethod
    def delta(before: dict, after: dict) -> dict:
        """id -> (runs, run_time_ns) for the programs that ran in between."""
        changes = {}
        for prog_id, (count, time_ns) in after.items():
            count_before, time_before = before.get(prog_id, (0, 0))
            if count > count_before:
                changes[prog_id] = (count - count_before, time_ns - time_before)
        return changes


def plugin_names(plugin_dir: Path) -> list:
    return sorted(path.stem for path in Path(plugin_dir).glob("*.so"))
