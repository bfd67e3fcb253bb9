# SPDX-License-Identifier: Apache-2.0
"""A full ring buffer: the kernel never blocks, the loss is counted by ring
and by kind, logged, and raised as an alert of its own (sensor.events_lost).

Load alone does not fill a ring (the sensor is woken when one is a quarter
full, see bench/drain_throughput.py); a sensor that gets no CPU does."""

import os
import re
import signal
import shutil
import subprocess

import cgroups
from alerts import Match


def test_a_full_ring_is_counted_and_reported(build_dir, sensor_factory, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir(mode=0o755)
    shutil.copy(build_dir / "lib" / "vigil" / "plugins" / "jsonl.so", plugins)
    shutil.copy(build_dir / "bench" / "plugins" / "storm.so", plugins)
    storm_cgroup = cgroups.v2_root() / f"vigil-test-storm-{tmp_path.name}"
    storm_cgroup.mkdir()
    try:
        # The smallest ring, and a sensor that is not scheduled while a storm of records
        # arrives (frozen here; starved of CPU on a real node): the ring must overflow.
        sensor = sensor_factory({
            "sensor": {"ring_buffer_kib": 64},
            "plugins": {"storm": {"cgroup_id": storm_cgroup.stat().st_ino}},
        }, plugin_dir=plugins)
        generator = f"{build_dir}/bench/storm_generator 0.2"
        os.kill(sensor.process.pid, signal.SIGSTOP)
        try:
            subprocess.run(["/bin/sh", "-c", f"echo $$ > {storm_cgroup}/cgroup.procs && exec {generator}"],
                           check=True, stdout=subprocess.DEVNULL)
        finally:
            os.kill(sensor.process.pid, signal.SIGCONT)

        alert = sensor.wait_for_alert(Match(rule="sensor.events_lost"), timeout=10)
        evidence = alert["evidence"]
        assert evidence["ring"] == "storm_events"
        assert evidence["owner"] == "storm"
        assert evidence["lost"] > 0
        assert any(entry.startswith("kind 128:") for entry in evidence["lost_by_kind"]), evidence
        assert alert["severity"] == "high"
        assert sensor.stderr_lines_with("ring storm_events of storm was full")
        sensor.stop()
        final = sensor.stderr_lines_with("final statistics")[-1]
        lost = re.search(r"storm/storm_events \d+ records (\d+) lost", final)
        assert lost and int(lost.group(1)) >= evidence["lost"], final
    finally:
        cgroups.remove_cgroup(storm_cgroup)
