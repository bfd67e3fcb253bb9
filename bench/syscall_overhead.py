#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What the sensor adds to the hot syscalls it watches.

Loops of one syscall (or one fork+exec) are timed under five configurations,
alternated round by round because absolute times on a shared VM drift by tens
of percent (the order of the five turns round by round):
  none     no sensor
  empty    a sensor whose only programs are empty ones, one on each tracepoint
           the core's dispatcher uses (bench/empty_probe_plugin): the floor of
           attaching anything there. The core's own process-lifecycle
           programs (exec, fork, exit) run too, as in every sensor.
  reader   the same programs, whose entries read from user memory the least
           a detector needs there (the connect address, a path's first bytes)
           and keep nothing: the floor of any design that looks at the
           argument, however its programs are arranged.
  checker  the same programs, whose open and connect entries read the whole
           path or the address, hash it and look the container's (cgroup,
           hash) up in a hash map: the floor of any design that checks a call
           against what the container is known to do (a behavioural profile).
  vigil    the sensor with every detector of the default plugin directory
The loops:
  openat   bench/openat_loop: openat()+close() of a read-only file
  connect  bench/connect_loop: connect() of a UDP socket to 127.0.0.1:9
  execve   bench/execve_loop: fork()+execve()+waitpid() of a static program
           that exits at once
And where they run:
  host       a host process: the container-only filters stop at the namespace check
  container  inside one runc container in the kubelet's cgroup layout: every
             filter reads the path or address before dropping it

Printed per loop and place: the medians (and minima) of each configuration
in ns per iteration; what each adds over none; the ratio added(vigil) /
added(empty), by medians and by minima, against the target of at most 1.5x;
the reader's ratio added(reader) / added(empty), what reading the argument
alone costs against the same target; and the checker's, what checking it
against a known set costs.

Then, from the kernel's own statistics: in every sensor's round, once
the timed runs are done, kernel.bpf_stats_enabled is set to 1 (and put back
afterwards, also on an error or Ctrl-C) and each loop runs once more between
two reads of run_cnt and run_time_ns of every BPF program the sensor holds.
Printed: each program that ran (runs per iteration, ns per run, ns per
iteration) and their sum per iteration. Those figures move far less from run
to run than wall-clock times, but include two clock reads per program run
(the price of the statistics, which is why the timed runs go without them).
Programs reached by a tail call are counted in their caller's time.

Usage: sudo bench/syscall_overhead.py [--syscall all|openat,connect,execve]
                                      [--where both|host|container] [--rounds 5]
                                      [--iterations 1000000] [--exec-iterations 2000]
                                      [--no-bpf-stats] [--without drift,...]
"""

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench_support import (BPF_STATS_SYSCTL, ProgramStatistics, Sensor, bpf_stats_enabled, build_dir,
                           clean_up_on_termination, foreign_bpf_programs, load_average, median, plugin_names)
from containers import Bind, Container, Rootfs

# loop name -> (program, what one iteration is)
LOOPS = {
    "openat": ("openat_loop", "open+close"),
    "connect": ("connect_loop", "connect"),
    "execve": ("execve_loop", "fork+exec+wait"),
}
PLACES = ("host", "container")
CONFIGURATIONS = ("none", "empty", "reader", "checker", "vigil")
SENSORS = CONFIGURATIONS[1:]
TARGET = 1.5  # added(vigil) / added(empty), PERFORMANCE.md
# A program that runs less than this often per iteration is another process's (runc, the shell...).
LISTED_RUNS_PER_ITERATION = 0.05


class HostRunner:
    def __init__(self, build: Path):
        self.bench = build / "bench"

    def time(self, program: str, iterations: int) -> float:
        output = subprocess.run([str(self.bench / program), str(iterations)], check=True, capture_output=True,
                                text=True).stdout
        return float(output)

    def close(self):
        pass


class ContainerRunner:
    """The loops, statically linked, run by `runc exec` in one idle container."""

    def __init__(self, build: Path, work: Path):
        rootfs = Rootfs.build(work / "rootfs")
        self.container = Container(rootfs, work / "containers", readonly_rootfs=True,
                                   binds=[Bind(str(build / "bench"), "/bench")])
        self.container.run()

    def time(self, program: str, iterations: int) -> float:
        completed = self.container.exec([f"/bench/{program}", str(iterations)], timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"{program} failed in the container: {completed.stderr}")
        return float(completed.stdout)

    def close(self):
        self.container.delete()


def parse_loops(text: str) -> list:
    if text == "all":
        return list(LOOPS)
    loops = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in loops if name not in LOOPS]
    if unknown or not loops:
        raise argparse.ArgumentTypeError(f"unknown loop {', '.join(unknown)}: pick from all, {', '.join(LOOPS)}")
    return loops


def ratio(added, floor) -> str:
    if floor <= 0:
        return "n/a (the empty floor is not above none)"
    return f"{added / floor:.2f}x"


def verdict(added, floor) -> str:
    if floor <= 0:
        return "n/a"
    return "met" if added / floor <= TARGET else "missed"


class Benchmark:
    def __init__(self, arguments, build: Path, work: Path):
        self.arguments = arguments
        self.build = build
        self.work = work
        self.cases = [(loop, place) for loop in arguments.syscall for place in arguments.where]
        # (configuration, loop, place) -> ns per iteration, one per round
        self.times = {(name, *case): [] for name in CONFIGURATIONS for case in self.cases}
        # (configuration, loop, place) -> one dict per round: program label -> (runs, run_time_ns, iterations)
        self.programs = {(name, *case): [] for name in SENSORS for case in self.cases}
        self.runners = {}
        self.disturbed = []  # (round, configuration, program names) when foreign programs were on the node
        self.rounds_done = 0

    def iterations(self, loop: str) -> int:
        return self.arguments.exec_iterations if loop == "execve" else self.arguments.iterations

    def run(self):
        self.runners["host"] = HostRunner(self.build)
        if "container" in self.arguments.where:
            self.runners["container"] = ContainerRunner(self.build, self.work)
        empty_plugins = self.work / "empty-plugins"
        empty_plugins.mkdir(mode=0o755)
        shutil.copy(self.build / "bench" / "plugins" / "empty_probe.so", empty_plugins)
        quiet = {"sensor": {"log_level": "info"}, "outputs": {"jsonl": {"enabled": False}}}
        for round_number in range(self.arguments.rounds):
            shift = round_number % len(CONFIGURATIONS)
            order = CONFIGURATIONS[shift:] + CONFIGURATIONS[:shift]
            for name in order:
                sensor = None
                if name == "empty":
                    sensor = Sensor(self.build, self.work / f"{name}-{round_number}", quiet, plugin_dir=empty_plugins)
                elif name in ("reader", "checker"):
                    option = "read_arguments" if name == "reader" else "check_arguments"
                    sensor = Sensor(self.build, self.work / f"{name}-{round_number}",
                                    {**quiet, "plugins": {"empty_probe": {option: True}}},
                                    plugin_dir=empty_plugins)
                elif name == "vigil":
                    # --without: the detectors left out, to see what one of them adds.
                    disabled = {plugin: {"enabled": False} for plugin in self.arguments.without}
                    sensor = Sensor(self.build, self.work / f"{name}-{round_number}",
                                    {**quiet, "plugins": disabled})
                if sensor:
                    sensor.start()
                    time.sleep(self.arguments.settle)
                try:
                    own = sensor.process.pid if sensor else None
                    foreign = foreign_bpf_programs(own)
                    for loop, place in self.cases:
                        program = LOOPS[loop][0]
                        self.times[(name, loop, place)].append(
                            self.runners[place].time(program, self.iterations(loop)))
                    foreign.update(foreign_bpf_programs(own))
                    if foreign:
                        self.disturbed.append((round_number + 1, name, sorted(set(foreign.values()))))
                    if sensor and self.arguments.bpf_stats:
                        self.measure_programs(name, sensor)
                finally:
                    if sensor:
                        sensor.stop()
            print(f"round {round_number + 1} ({', '.join(order)}; load {load_average()}): " + "; ".join(
                f"{loop} {place} " + "/".join(f"{self.times[(name, loop, place)][-1]:.0f}" for name in CONFIGURATIONS)
                for loop, place in self.cases) + " ns (" + "/".join(CONFIGURATIONS) + ")", flush=True)
            self.rounds_done = round_number + 1
            for number, name, names in self.disturbed:
                if number == round_number + 1:
                    print(f"  warning: {len(names)} BPF programs of another process were on the node during "
                          f"{name}'s runs ({', '.join(names[:6])}{', ...' if len(names) > 6 else ''}): "
                          f"this round's figures are disturbed", flush=True)

    def measure_programs(self, name: str, sensor: Sensor):
        plugins = plugin_names(Path(sensor.config["sensor"]["plugin_dir"]))
        with ProgramStatistics(sensor.process.pid, plugins) as statistics, bpf_stats_enabled():
            for loop, place in self.cases:
                iterations = self.iterations(loop)
                before = statistics.snapshot()
                self.runners[place].time(LOOPS[loop][0], iterations)
                after = statistics.snapshot()
                self.programs[(name, loop, place)].append({
                    statistics.label(prog_id): (runs, run_time, iterations)
                    for prog_id, (runs, run_time) in ProgramStatistics.delta(before, after).items()
                })

    def close(self):
        for runner in self.runners.values():
            runner.close()

    # -- the report ------------------------------------------------------------------

    def report(self):
        """The figures of the rounds that were completed (all of them, unless interrupted)."""
        if self.rounds_done == 0:
            print("no round was completed: no figures")
            return
        for figures in (*self.times.values(), *self.programs.values()):
            del figures[self.rounds_done:]
        summary = []
        for loop, place in self.cases:
            unit = LOOPS[loop][1]
            medians = {name: median(self.times[(name, loop, place)]) for name in CONFIGURATIONS}
            minima = {name: min(self.times[(name, loop, place)]) for name in CONFIGURATIONS}
            added = {name: medians[name] - medians["none"] for name in SENSORS}
            least = {name: minima[name] - minima["none"] for name in SENSORS}
            added_vigil, added_empty, min_vigil, min_empty = added["vigil"], added["empty"], least["vigil"], least["empty"]
            print()
            print(f"== {loop} ({unit}) from a {place} process: {self.iterations(loop)} iterations, "
                  f"{self.rounds_done} rounds")
            print("  ns per " + unit + ": median " + ", ".join(f"{name} {medians[name]:.0f}" for name in CONFIGURATIONS) +
                  "; minimum " + ", ".join(f"{name} {minima[name]:.0f}" for name in CONFIGURATIONS))
            print("  added over none (medians): " + ", ".join(f"{name} {added[name]:+.0f} ns" for name in SENSORS))
            print(f"  added(vigil) / added(empty): {ratio(added_vigil, added_empty)} by medians "
                  f"(target at most {TARGET}x: {verdict(added_vigil, added_empty)}), "
                  f"{ratio(min_vigil, min_empty)} by minima")
            print(f"  added(reader) / added(empty), the floor of reading the argument: "
                  f"{ratio(added['reader'], added_empty)} by medians, {ratio(least['reader'], min_empty)} by minima")
            print(f"  added(checker) / added(empty), the floor of checking it against a known set: "
                  f"{ratio(added['checker'], added_empty)} by medians, {ratio(least['checker'], min_empty)} by minima")
            bpf = {}
            for name in SENSORS:
                rounds = self.programs[(name, loop, place)]
                if rounds:
                    bpf[name] = self.print_programs(name, rounds, unit)
            summary.append((loop, place, medians, added, least, bpf))
        self.print_summary(summary)

    @staticmethod
    def print_programs(name: str, rounds: list, unit: str) -> float:
        """Per-program medians over the rounds; returns the median sum of ns per iteration."""
        labels = sorted({label for per_round in rounds for label in per_round})
        rows = []
        for label in labels:
            runs = median([r[label][0] / r[label][2] if label in r else 0.0 for r in rounds])
            per_run = median([r[label][1] / r[label][0] for r in rounds if label in r])
            per_iteration = median([r[label][1] / r[label][2] if label in r else 0.0 for r in rounds])
            rows.append((per_iteration, label, runs, per_run))
        totals = [sum(time_ns / iterations for _, time_ns, iterations in r.values()) for r in rounds]
        total = median(totals)
        print(f"  {name}'s programs (kernel BPF stats, median of {len(rounds)} rounds): "
              f"{total:.0f} ns per {unit} (rounds: {', '.join(f'{t:.0f}' for t in totals)})")
        listed = [row for row in sorted(rows, reverse=True) if row[2] >= LISTED_RUNS_PER_ITERATION]
        for per_iteration, label, runs, per_run in listed:
            print(f"    {label:<40} {runs:8.3f} runs per {unit}, {per_run:6.0f} ns per run, "
                  f"{per_iteration:6.1f} ns per {unit}")
        rest = [row for row in rows if row[2] < LISTED_RUNS_PER_ITERATION]
        if rest:
            print(f"    ({len(rest)} more programs ran less than {LISTED_RUNS_PER_ITERATION} times per {unit}, "
                  f"{sum(row[0] for row in rest):.1f} ns per {unit} together)")
        return total

    def print_summary(self, summary):
        print()
        print(f"Summary ({self.rounds_done} rounds; ns per iteration; target added(vigil)/added(empty) "
              f"at most {TARGET}x; load at the end {load_average()})")
        disturbed = sorted({number for number, _, _ in self.disturbed})
        if disturbed:
            print(f"warning: BPF programs of another process were on the node in rounds "
                  f"{', '.join(map(str, disturbed))}: run again on a quiet node")
        print("ratio: added(vigil) / added(empty) by medians (by min: by minima); floor: added(reader) / added(empty),\n"
              "what reading the argument alone adds; check: added(checker) / added(empty), what checking it against\n"
              "a known set adds (opens and connects; execve's checker only reads)")
        if self.arguments.bpf_stats:
            print("bpf empty, reader, checker, vigil: ns per iteration the sensor's programs ran (kernel statistics, medians);\n"
                  "bpf ratio: bpf vigil / bpf empty, the steady counterpart of the ratio (it leaves out what the\n"
                  "tracepoint itself costs per attached program)")
        header = (f"{'loop':<8} {'where':<10} {'none':>8} {'empty':>8} {'vigil':>8} {'+empty':>7} {'+reader':>7} "
                  f"{'+check':>7} {'+vigil':>7} {'ratio':>7} {'by min':>7} {'floor':>7} {'check':>7}")
        if self.arguments.bpf_stats:
            header += f" {'bpf empty':>10} {'reader':>7} {'checker':>7} {'vigil':>7} {'bpf ratio':>9}"
        print(header)

        def divided(numerator, denominator):
            return numerator / denominator if denominator > 0 else float("nan")

        for loop, place, medians, added, least, bpf in summary:
            line = (f"{loop:<8} {place:<10} {medians['none']:8.0f} {medians['empty']:8.0f} {medians['vigil']:8.0f} "
                    f"{added['empty']:+7.0f} {added['reader']:+7.0f} {added['checker']:+7.0f} {added['vigil']:+7.0f} "
                    f"{divided(added['vigil'], added['empty']):6.2f}x {divided(least['vigil'], least['empty']):6.2f}x "
                    f"{divided(added['reader'], added['empty']):6.2f}x {divided(added['checker'], added['empty']):6.2f}x")
            if self.arguments.bpf_stats:
                empty, reader, checker, vigil = (bpf.get(name, float("nan")) for name in SENSORS)
                line += f" {empty:10.0f} {reader:7.0f} {checker:7.0f} {vigil:7.0f} {divided(vigil, empty):8.2f}x"
            print(line)


def check_node_is_quiet():
    """BPF programs already on the node (another sensor, a test run) slow every
    configuration alike and make the ratios look better than they are; BPF
    statistics already on add two clock reads to every program run."""
    if BPF_STATS_SYSCTL.read_text().strip() != "0":
        print("warning: kernel.bpf_stats_enabled is already 1 (someone else's): every timed run pays the "
              "statistics' clock reads, vigil's many programs more than the empty floor's")
    try:
        others = foreign_bpf_programs()
    except (OSError, subprocess.CalledProcessError):
        return
    if others:
        names = sorted(set(others.values()))
        print(f"warning: {len(others)} BPF programs were already loaded before the benchmark "
              f"({', '.join(names[:8])}{', ...' if len(names) > 8 else ''}): another sensor or test run?")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syscall", type=parse_loops, default=list(LOOPS),
                        help="loops to time, comma-separated: openat, connect, execve, or all (the default)")
    parser.add_argument("--where", choices=("both", *PLACES), default="both")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--without", type=lambda text: [name for name in text.split(",") if name], default=[],
                        help="detectors (comma-separated) the vigil configuration leaves out, e.g. drift")
    parser.add_argument("--iterations", type=int, default=1_000_000, help="per openat and connect run")
    parser.add_argument("--exec-iterations", type=int, default=2_000, help="per execve run")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds between the sensor saying it is ready and the first timed run")
    parser.add_argument("--no-bpf-stats", dest="bpf_stats", action="store_false",
                        help="leave out the per-program passes with kernel.bpf_stats_enabled")
    arguments = parser.parse_args()
    arguments.where = list(PLACES) if arguments.where == "both" else [arguments.where]
    build = build_dir()
    if arguments.bpf_stats and not shutil.which("bpftool"):
        parser.error("bpftool is needed for the per-program figures (apt-get install bpftool), or --no-bpf-stats")
    print(f"syscall overhead: {', '.join(arguments.syscall)} from {' and '.join(arguments.where)}; "
          f"{arguments.rounds} rounds; load {load_average()}")
    check_node_is_quiet()
    clean_up_on_termination()
    work = Path(tempfile.mkdtemp(prefix="vigil-overhead-"))
    benchmark = Benchmark(arguments, build, work)
    interrupted = None
    try:
        benchmark.run()
    except (KeyboardInterrupt, SystemExit) as stop:
        # Stopped (Ctrl-C, SIGTERM): the rounds done so far are still worth printing.
        interrupted = stop
    finally:
        benchmark.close()
        shutil.rmtree(work, ignore_errors=True)
    if interrupted is not None:
        print(f"\ninterrupted ({type(interrupted).__name__}) after {benchmark.rounds_done} of "
              f"{arguments.rounds} rounds", flush=True)
    benchmark.report()
    if interrupted is not None:
        raise SystemExit(130)


if __name__ == "__main__":
    main()
