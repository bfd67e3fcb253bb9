#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A storm of the syscalls the sensor watches, from several containers at
once, with one real detection in the middle of it.

The sensor runs on the default configuration (every detector of the default
plugin directory, alerts to a JSON Lines file, statistics logged every
--stats-interval seconds). --containers runc containers (4) in the kubelet's
cgroup layout each run bench/storm_mix for --seconds (60): opens (some for
writing, some of /proc), UDP and refused TCP connects, forks and execs, as
fast as they can. Halfway through, the storm process of the first container
also write-opens /etc/ld.so.preload, on which the injection detector raises
injection.ld_so_preload_write: the benchmark checks that this alert arrived,
from that container, rather than assuming that nothing a detector needed was
lost.

Printed:
  - the storm's rate: syscalls/s made (as storm_mix counts them) and per kind,
    with the sensor and, unless --no-baseline, without it first
  - every ring buffer: records drained and events lost, as the sensor's final
    statistics line gives them, and lost per ring and kind from its
    sensor.events_lost alerts
  - the sensor's CPU time over the storm (utime + stime), in % of one core and
    per record drained; its resident memory (largest sample during the storm,
    and VmHWM, the peak since start, which the verifier sets at start-up)
  - the detection: whether its alert arrived, and how long after the syscall
  - every alert raised during the storm, by rule
  - with --bpf-stats: the run time of the sensor's BPF programs over the
    storm (kernel.bpf_stats_enabled, restored afterwards), which is charged to
    the storm's processes, not to the sensor

Usage: sudo bench/syscall_storm.py [--seconds 60] [--containers 4] [--exec-every 4]
                                   [--no-baseline] [--bpf-stats] [--stats-interval 10]
"""

import argparse
import json
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bench_support import (SOURCE_DIR, ProgramStatistics, Sensor, bpf_stats_enabled, build_dir,
                           clean_up_on_termination, foreign_bpf_programs, load_average, plugin_names,
                           process_cpu_seconds, process_peak_rss_kib, process_rss_kib)
from containers import Bind, Container, Rootfs

DETECTION_RULE = "injection.ld_so_preload_write"
KINDS = ("opens", "write_opens", "proc_reads", "udp_connects", "tcp_connects", "forks", "execs")


def kind_names() -> dict:
    """(ring owner, kind number) -> name, from the sources: the core's kinds
    (sdk/include/vigil/event_kinds.h) and each detector's own (plugins/<name>/*_events.h)."""
    names = {}
    core = (SOURCE_DIR / "sdk" / "include" / "vigil" / "event_kinds.h").read_text()
    for name, number in re.findall(r"VIGIL_KIND_(\w+)\s*=\s*(\d+)", core):
        names[("core", int(number))] = name.lower()
    for header in SOURCE_DIR.glob("plugins/*/*_events.h"):
        for name, offset in re.findall(r"[A-Z]+_KIND_(\w+)\s*=\s*VIGIL_KIND_PLUGIN_BASE\s*\+\s*(\d+)",
                                       header.read_text()):
            names[(header.parent.name, 128 + int(offset))] = name.lower()
    return names


class Storm:
    """The containers, and one storm_mix per container run by `runc exec` in a thread."""

    def __init__(self, build: Path, work: Path, count: int):
        rootfs = Rootfs.build(work / "rootfs")
        self.containers = []
        try:
            for _ in range(count):
                # Writable root filesystems (a copy each): the storm writes /tmp and /etc/ld.so.preload.
                container = Container(rootfs, work / "containers", binds=[Bind(str(build / "bench"), "/bench")])
                container.run()
                self.containers.append(container)
        except BaseException:
            self.close()
            raise

    def run(self, seconds: float, exec_every: int, detect: bool, while_running=None) -> list:
        """Runs the storm; returns storm_mix's figures per container. while_running
        is called every 0.1 s in this thread until the storm ends."""
        results = [None] * len(self.containers)
        errors = []

        def one(index, container):
            command = ["/bench/storm_mix", str(seconds), "--exec-every", str(exec_every)]
            if detect and index == 0:
                command += ["--detect-at", str(seconds / 2)]
            try:
                completed = container.exec(command, timeout=seconds + 120)
                if completed.returncode != 0:
                    raise RuntimeError(f"storm_mix failed in {container.name}: {completed.stderr}")
                results[index] = json.loads(completed.stdout)
            except Exception as error:  # reported by the caller
                errors.append(error)

        threads = [threading.Thread(target=one, args=(index, container))
                   for index, container in enumerate(self.containers)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            if while_running:
                while_running()
            time.sleep(0.1)
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return results

    def close(self):
        for container in self.containers:
            container.delete()


def rates(results: list) -> dict:
    """Per kind (and "syscalls"), calls per second: each container's count over its own run time, summed."""
    return {kind: sum(result[kind] / result["seconds"] for result in results) for kind in ("syscalls", *KINDS)}


def print_rates(label: str, figures: dict, reference=None):
    line = f"  {label:<16} {figures['syscalls']:>12,.0f} syscalls/s"
    if reference:
        line += f" ({figures['syscalls'] / reference['syscalls']:.2f} of the baseline)"
    print(line)
    print("    per kind /s: " + ", ".join(f"{kind} {figures[kind]:,.0f}" for kind in KINDS))


class SensorWatch:
    """Samples the sensor's resident memory and looks for the detection's alert during the storm."""

    def __init__(self, sensor: Sensor, since: int):
        self.sensor = sensor
        self.since = since
        self.max_rss_kib = 0
        self.detection_seen = None  # wall-clock seconds the alert was first seen in the file
        self.next_sample = 0.0

    def __call__(self):
        moment = time.monotonic()
        if moment < self.next_sample:
            return
        self.next_sample = moment + 0.2
        self.max_rss_kib = max(self.max_rss_kib, process_rss_kib(self.sensor.process.pid))
        if self.detection_seen is None and any(
                alert.get("rule") == DETECTION_RULE for alert in self.sensor.alerts(self.since)):
            self.detection_seen = time.time()


def parse_final_rings(sensor: Sensor) -> list:
    """(owner, ring, records, lost) from the sensor's final statistics line."""
    lines = sensor.stderr_lines_with("final statistics")
    if not lines:
        return []
    rings = re.search(r"rings \[([^\]]*)\]", lines[-1])
    if not rings:
        return []
    return [(owner, ring, int(records), int(lost))
            for owner, ring, records, lost in re.findall(r"(\S+)/(\S+) (\d+) records (\d+) lost", rings.group(1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the storm (and of the baseline)")
    parser.add_argument("--containers", type=int, default=4)
    parser.add_argument("--exec-every", type=int, default=4,
                        help="a fork and a fork+exec every this many rounds of storm_mix (0: none)")
    parser.add_argument("--no-baseline", dest="baseline", action="store_false",
                        help="leave out the storm without the sensor")
    parser.add_argument("--bpf-stats", action="store_true",
                        help="kernel.bpf_stats_enabled during the storm: the sensor's programs' run time")
    parser.add_argument("--stats-interval", type=int, default=10, help="[sensor] stats_interval_s")
    arguments = parser.parse_args()
    build = build_dir()
    if not (build / "bench" / "storm_mix").exists():
        parser.error(f"no {build}/bench/storm_mix: build the benchmarks (-DVIGIL_BUILD_BENCHMARKS=ON)")
    clean_up_on_termination()
    work = Path(tempfile.mkdtemp(prefix="vigil-storm-"))
    print(f"syscall storm: {arguments.containers} containers x {arguments.seconds:.0f} s of storm_mix "
          f"(fork+exec every {arguments.exec_every} rounds); load {load_average()}", flush=True)

    foreign = foreign_bpf_programs()
    if foreign:
        print(f"warning: {len(foreign)} BPF programs of another process are on the node "
              f"({', '.join(sorted(set(foreign.values()))[:8])}, ...): they run in the storm too")
    storm = None
    sensor = None
    programs = None
    try:
        storm = Storm(build, work, arguments.containers)
        baseline = None
        if arguments.baseline:
            baseline = rates(storm.run(arguments.seconds, arguments.exec_every, detect=False))
            print(f"baseline without the sensor done; load {load_average()}", flush=True)

        sensor = Sensor(build, work / "sensor", {
            "sensor": {"log_level": "info", "stats_interval_s": arguments.stats_interval},
        })
        sensor.start()
        time.sleep(1.0)
        pid = sensor.process.pid
        alerts_before = sensor.alert_count()
        watch = SensorWatch(sensor, alerts_before)
        if arguments.bpf_stats:
            programs = ProgramStatistics(pid, plugin_names(Path(sensor.config["sensor"]["plugin_dir"])))
        cpu_before, wall_before = process_cpu_seconds(pid), time.monotonic()
        if programs:
            with bpf_stats_enabled():
                before = programs.snapshot()
                results = storm.run(arguments.seconds, arguments.exec_every, detect=True, while_running=watch)
                after = programs.snapshot()
            programs.close()
        else:
            results = storm.run(arguments.seconds, arguments.exec_every, detect=True, while_running=watch)
        cpu = process_cpu_seconds(pid) - cpu_before
        wall = time.monotonic() - wall_before
        peak_kib = process_peak_rss_kib(pid)
        watch()
        # The detection's alert may still be on its way: give it a few seconds.
        deadline = time.monotonic() + 5
        while watch.detection_seen is None and time.monotonic() < deadline:
            watch.next_sample = 0.0
            watch()
            time.sleep(0.1)
        time.sleep(1.0)  # a last drain and any sensor.events_lost alert
        storm_alerts = sensor.alerts(alerts_before)
        sensor.stop()
        rings = parse_final_rings(sensor)
    finally:
        if sensor:
            sensor.kill()
        if storm:
            storm.close()
        if programs:
            programs.close()
        shutil.rmtree(work, ignore_errors=True)

    with_sensor = rates(results)
    print()
    print(f"== storm: {arguments.containers} containers, {arguments.seconds:.0f} s, load at the end {load_average()}")
    if baseline:
        print_rates("without sensor", baseline)
    print_rates("with the sensor", with_sensor, baseline)
    if arguments.bpf_stats:
        print("    (kernel.bpf_stats_enabled during the storm: this rate pays the statistics too)")
    failures = sum(result["failures"] for result in results)
    if failures:
        print(f"  ({failures} calls failed in storm_mix)")

    records = sum(ring[2] for ring in rings)
    print(f"  sensor CPU: {cpu:.2f} s over {wall:.1f} s = {100 * cpu / wall:.1f}% of one core; "
          f"{1e9 * cpu / records if records else float('nan'):.0f} ns per record drained")
    print(f"  sensor memory: largest VmRSS sampled during the storm {watch.max_rss_kib / 1024:.1f} MiB; "
          f"VmHWM (peak since start) {peak_kib / 1024:.1f} MiB")

    print(f"  rings (the sensor's final statistics): {records:,} records drained, "
          f"{records / wall:,.0f} per second of storm")
    for owner, ring, count, lost in rings:
        print(f"    {owner}/{ring}: {count:,} records, {lost:,} lost")
    lost_alerts = [alert for alert in storm_alerts if alert.get("rule") == "sensor.events_lost"]
    names = kind_names()
    lost_by = {}
    for alert in lost_alerts:
        evidence = alert.get("evidence", {})
        for entry in evidence.get("lost_by_kind", []):
            kind, count = re.match(r"kind (\d+): (\d+)", entry).groups()
            key = (evidence.get("owner"), evidence.get("ring"), int(kind))
            lost_by[key] = lost_by.get(key, 0) + int(count)
    total_lost = sum(ring[3] for ring in rings)
    if lost_by:
        print("  lost per ring and kind (sensor.events_lost alerts):")
        for (owner, ring, kind), count in sorted(lost_by.items()):
            print(f"    {owner}/{ring} kind {kind} ({names.get((owner, kind), '?')}): {count:,}")
    print(f"  events lost: {total_lost:,} in all")

    detect_ns = results[0].get("detect_ns", 0)
    detection = [alert for alert in storm_alerts if alert.get("rule") == DETECTION_RULE]
    from_container = [alert for alert in detection
                      if (alert.get("container") or {}).get("id") == storm.containers[0].id]
    if from_container and watch.detection_seen and detect_ns:
        delay = watch.detection_seen - detect_ns / 1e9
        print(f"  detection: {DETECTION_RULE} from {storm.containers[0].name} arrived, within {delay:.2f} s of "
              f"the write-open (the file polled every 0.2 s)")
    elif from_container:
        print(f"  detection: {DETECTION_RULE} from {storm.containers[0].name} arrived")
    else:
        print(f"  detection: NO {DETECTION_RULE} alert from {storm.containers[0].name} "
              f"(write-open at {'%.3f' % (detect_ns / 1e9) if detect_ns else 'never'}; "
              f"{len(detection)} such alerts from elsewhere)")
    by_rule = {}
    for alert in storm_alerts:
        by_rule[alert.get("rule")] = by_rule.get(alert.get("rule"), 0) + 1
    print("  alerts during the storm: " + (", ".join(f"{rule} {count}" for rule, count in sorted(by_rule.items()))
                                          or "none"))

    if programs:
        changes = ProgramStatistics.delta(before, after)
        total_ns = sum(time_ns for _, time_ns in changes.values())
        print(f"  the sensor's BPF programs ran {total_ns / 1e9:.2f} s over the storm "
              f"({100 * total_ns / 1e9 / wall:.1f}% of one core, charged to the storm's processes; "
              f"{total_ns / sum(result['syscalls'] for result in results):.0f} ns per storm syscall):")
        for prog_id, (runs, time_ns) in sorted(changes.items(), key=lambda item: -item[1][1])[:15]:
            print(f"    {programs.label(prog_id):<40} {runs:>12,} runs {time_ns / runs:6.0f} ns per run "
                  f"{time_ns / 1e9:6.2f} s")


if __name__ == "__main__":
    main()
