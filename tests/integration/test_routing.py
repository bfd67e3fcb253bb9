# SPDX-License-Identifier: Apache-2.0
"""Each output receives exactly the alerts its route says: a pager-like
output (high and above, privilege escalation or lateral movement), an output
that takes one detector's rules, and the harness's own output that takes
everything. Three jsonl instances stand in for three receivers."""

import json
import subprocess
import time
from pathlib import Path

from alerts import Match, container_id
from escape_behaviours import open_for_writing_script, run_script
from programs import program_path
from sensor import Sensor


def read_alerts(path: Path) -> list:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_each_output_receives_what_its_route_says(build_dir, tmp_path, container_factory):
    paging, escape_only = tmp_path / "paging.jsonl", tmp_path / "escape.jsonl"
    overrides = {
        "alerts": {"dedup_window_s": 0},
        "outputs": {
            "paging": {"plugin": "jsonl", "path": str(paging),
                       "route": {"min_severity": "high", "tactics": ["TA0004", "TA0008"]}},
            "escape_only": {"plugin": "jsonl", "path": str(escape_only), "route": {"rules": ["escape.*"]}},
        },
    }
    with Sensor(build_dir, tmp_path / "sensor", overrides) as sensor:
        assert sensor.stderr_lines_with("output paging", "severity >= high, tactics TA0004 TA0008"), \
            sensor.stderr_tail()
        # HIGH, Defense Evasion + Privilege Escalation: everything and the pager, not the escape output.
        injector = program_path(build_dir, "injector")
        subprocess.run([str(injector), "ptrace", "attach"], check=True, stdout=subprocess.DEVNULL)
        ptrace = sensor.wait_for_alert(Match(rule="injection.ptrace_attach"))
        # MEDIUM (a refused attempt), Privilege Escalation: everything and the escape output, not the pager.
        container = container_factory()
        run_script(container, open_for_writing_script("/proc/sys/kernel/core_pattern"))
        attempt = sensor.wait_for_alert(Match(rule="escape.core_pattern_write", container=container))
        time.sleep(1.0)  # the other outputs write on their own threads

    def keys(alerts):
        return {(alert["rule"], alert["time"]) for alert in alerts}

    everything = keys(read_alerts(sensor.alerts_path))
    ptrace_key, attempt_key = (ptrace["rule"], ptrace["time"]), (attempt["rule"], attempt["time"])
    assert {ptrace_key, attempt_key} <= everything
    assert ptrace_key in keys(read_alerts(paging)) and attempt_key not in keys(read_alerts(paging))
    assert attempt_key in keys(read_alerts(escape_only)) and ptrace_key not in keys(read_alerts(escape_only))
    # Nothing reaches an output that its route refuses, whatever else happened meanwhile.
    assert all(alert["severity"] in ("high", "critical") for alert in read_alerts(paging))
    assert all(alert["rule"].startswith("escape.") for alert in read_alerts(escape_only))
    assert container_id(attempt) == container.id
