# SPDX-License-Identifier: Apache-2.0
"""The durable spool, end to end: alerts raised while an output cannot deliver
survive a kill -9 of the sensor and reach the output after a restart, in
order and once; and a full spool is reported and counted.

The output under test is a jsonl instance ("spooled") writing into a
directory of the test's own. The outage is that directory being renamed away:
with create_directories off, the jsonl plugin's send then fails to open the
file and asks for a retry (plugins/jsonl/append_file.cpp), like a receiver
that is down. Renaming it back is the receiver coming back.

Other sensors and tests may run on this machine at the same time, so the
test's alerts are told apart by the pids of the injector runs it started."""

import json
import re
import subprocess
import time
from pathlib import Path

from programs import program_path
from sensor import Sensor

RULE = "injection.ptrace_attach"


def spooled_config(spool: Path, receiver: Path, **alerts) -> dict:
    return {
        "plugins": {"injection": {}},
        "alerts": {"dedup_window_s": 0, "spool_path": str(spool), **alerts},
        "outputs": {"spooled": {"plugin": "jsonl", "path": str(receiver / "alerts.jsonl"),
                                "create_directories": False, "route": {"rules": [RULE]}}},
    }


def raise_alerts(build_dir: Path, count: int) -> list:
    """Runs the injector's ptrace attach @count times; returns their pids in order."""
    injector = program_path(build_dir, "injector")
    pids = []
    for _ in range(count):
        process = subprocess.Popen([str(injector), "ptrace", "attach"], stdout=subprocess.DEVNULL)
        pids.append(process.pid)
        assert process.wait(timeout=30) == 0
    return pids


def ours(path: Path, pids: list) -> list:
    """The pids of the test's alerts in @path, in file order (with repeats)."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        alert = json.loads(line)
        pid = (alert.get("process") or {}).get("pid")
        if alert.get("rule") == RULE and pid in pids:
            found.append(pid)
    return found


def wait_for(predicate, timeout: float, what: str, sensor: Sensor):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert sensor.running(), f"the sensor exited while waiting for {what}:\n{sensor.stderr_tail()}"
        assert time.monotonic() < deadline, f"no {what} within {timeout}s:\n{sensor.stderr_tail()}"
        time.sleep(0.1)


def output_counts(sensor: Sensor, name: str) -> dict:
    """The counts of the 'outputs stopped' line the sensor logs at shutdown."""
    pattern = re.compile(rf"{name} (\d+) delivered (\d+) rejected (\d+) retried (\d+) dropped "
                         rf"\((\d+) spool full\) (\d+) pending")
    for line in reversed(sensor.stderr_lines_with("outputs stopped")):
        match = pattern.search(line)
        if match:
            keys = ("delivered", "rejected", "retried", "dropped", "dropped_spool_full", "pending")
            return dict(zip(keys, map(int, match.groups())))
    raise AssertionError(f"no statistics of output {name}:\n{sensor.stderr_tail()}")


def test_alerts_survive_kill_9_and_are_delivered_after_restart_in_order_once(build_dir, tmp_path):
    count = 20
    spool, receiver = tmp_path / "spool" / "spool.db", tmp_path / "receiver"
    receiver.mkdir()
    away = tmp_path / "receiver-away"
    config = spooled_config(spool, receiver)

    first = Sensor(build_dir, tmp_path / "first", config).start()
    try:
        receiver.rename(away)  # the output goes down
        pids = raise_alerts(build_dir, count)
        # The always-working harness output shows the pipeline took every alert,
        # so each is in the spool for "spooled" too.
        wait_for(lambda: len(set(ours(first.alerts_path, pids))) == count, 30, "alerts on the working output",
                 first)
        wait_for(lambda: first.stderr_lines_with("output spooled: send failed, retrying"), 10,
                 "a failed send of the spooled output", first)
        assert ours(away / "alerts.jsonl", pids) == [], "delivered during the outage"
    finally:
        first.kill()  # SIGKILL: no drain, no shutdown
    assert first.exit_code == -9
    assert (spool.parent.stat().st_mode & 0o777) == 0o700

    away.rename(receiver)  # the output comes back
    with Sensor(build_dir, tmp_path / "second", config) as second:
        assert second.stderr_lines_with("output spooled:", "from before the last stop wait in the spool"), \
            second.stderr_tail()
        wait_for(lambda: len(set(ours(receiver / "alerts.jsonl", pids))) == count, 30,
                 "every alert after the restart", second)
        time.sleep(1.0)  # a duplicate would come right behind
    delivered = ours(receiver / "alerts.jsonl", pids)
    duplicates = len(delivered) - len(set(delivered))
    lost = count - len(set(delivered))
    print(f"\nspool kill -9 test: generated {count}, delivered {len(set(delivered))}, "
          f"duplicated {duplicates}, lost {lost}")
    assert lost == 0
    # Nothing was sent while the output was down, so nothing was sent without
    # being acknowledged: at-least-once allows repeats, but here there are none.
    assert duplicates == 0, delivered
    assert delivered == pids, "not in the order they were raised"
    counts = output_counts(second, "spooled")
    assert counts["pending"] == 0 and counts["dropped"] == 0, counts


def test_a_full_spool_is_reported_and_counted_and_keeps_the_oldest(build_dir, tmp_path):
    bound, count = 3, 8
    spool, receiver = tmp_path / "spool.db", tmp_path / "receiver"
    receiver.mkdir()
    away = tmp_path / "receiver-away"
    config = spooled_config(spool, receiver, spool_max_entries_per_output=bound)

    with Sensor(build_dir, tmp_path / "first", config) as first:
        receiver.rename(away)
        pids = raise_alerts(build_dir, count)
        wait_for(lambda: len(set(ours(first.alerts_path, pids))) == count, 30, "alerts on the working output",
                 first)
        wait_for(lambda: first.stderr_lines_with("output spooled reached its bound"), 10,
                 "the spool-full report", first)
    counts = output_counts(first, "spooled")
    print(f"\nspool full test: generated {count}, bound {bound}, counts {counts}")
    assert counts["pending"] == bound, counts
    # Other sensors' alerts of the same rule may take places too: at least ours beyond the bound were refused.
    assert counts["dropped_spool_full"] >= count - bound, counts
    assert counts["dropped"] >= counts["dropped_spool_full"]
    assert first.stderr_lines_with("final statistics", "spool full")

    away.rename(receiver)
    with Sensor(build_dir, tmp_path / "second", config) as second:
        wait_for(lambda: second.stderr_lines_with("sensor ready"), 30, "ready", second)
        time.sleep(2.0)
    delivered = ours(receiver / "alerts.jsonl", pids)
    # The newest were refused: what is delivered is the oldest, in order.
    assert delivered == pids[:len(delivered)] and 0 < len(delivered) <= bound, (delivered, pids)
