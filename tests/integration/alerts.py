# SPDX-License-Identifier: Apache-2.0
"""Reading the sensor's alerts and matching them.

Alert shape (the sensor's JSON Lines output):
  {"time", "rule", "plugin", "severity", "summary",
   "mitre": {"tactics": [{"id", "name"}], "techniques": [{"id", "name"}]},
   "process": {"pid", "tid", "exe", "cmdline", "uid", "gid",
               "ancestry": [{"pid", "exe", "cmdline"}]},
   "container": {"id", "runtime"},      (absent for host processes)
   "k8s": {"pod_uid", "node", ...},
   "evidence": {...}}
"""

import json
from pathlib import Path


class AlertFileError(AssertionError):
    pass


def read_alerts(path: Path) -> list:
    """Every complete line of the file, parsed. A last line without its newline
    is still being written and is left for the next read."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    complete = data[: data.rfind(b"\n") + 1]
    alerts = []
    for number, line in enumerate(complete.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            alert = json.loads(line)
        except json.JSONDecodeError as error:
            raise AlertFileError(f"{path}:{number} is not JSON ({error}): {line[:300]}") from None
        if not isinstance(alert, dict):
            raise AlertFileError(f"{path}:{number} is not a JSON object: {line[:300]}")
        alerts.append(alert)
    return alerts


def technique_ids(alert: dict) -> set:
    return {technique.get("id") for technique in alert.get("mitre", {}).get("techniques", [])}


def container_id(alert: dict):
    return (alert.get("container") or {}).get("id")


def pod_uid(alert: dict):
    return (alert.get("k8s") or {}).get("pod_uid")


def ancestry_exes(alert: dict) -> list:
    return [entry.get("exe") or "" for entry in (alert.get("process") or {}).get("ancestry", [])]


class Match:
    """A predicate on alerts that can say what it looks for, for failure messages."""

    def __init__(self, rule=None, technique=None, container=None, plugin=None):
        self.rule = rule
        self.technique = technique
        self.container = container  # a containers.Container or a container id
        self.plugin = plugin

    def _container_id(self):
        return getattr(self.container, "id", self.container)

    def __call__(self, alert: dict) -> bool:
        if self.rule is not None and alert.get("rule") != self.rule:
            return False
        if self.plugin is not None and alert.get("plugin") != self.plugin:
            return False
        if self.technique is not None and self.technique not in technique_ids(alert):
            return False
        if self.container is not None and container_id(alert) != self._container_id():
            return False
        return True

    def __repr__(self):
        parts = [f"rule={self.rule}" if self.rule else "",
                 f"plugin={self.plugin}" if self.plugin else "",
                 f"technique={self.technique}" if self.technique else "",
                 f"container={self._container_id()}" if self.container is not None else ""]
        return "alert(" + ", ".join(part for part in parts if part) + ")"


def any_alert(alert: dict) -> bool:
    return True


def describe(alert: dict) -> str:
    """One line per alert: enough to see why it did not match."""
    process = alert.get("process") or {}
    return (f"{alert.get('rule')} techniques={sorted(map(str, technique_ids(alert)))} "
            f"container={container_id(alert)} pod={pod_uid(alert)} "
            f"pid={process.get('pid')} exe={process.get('exe')} cmdline={process.get('cmdline')!r} "
            f"ancestry={ancestry_exes(alert)}")


def describe_all(alerts: list, limit: int = 50) -> str:
    if not alerts:
        return "  (no alerts at all)"
    lines = [f"  - {describe(alert)}" for alert in alerts[-limit:]]
    if len(alerts) > limit:
        lines.insert(0, f"  ... {len(alerts) - limit} earlier alerts not shown")
    return "\n".join(lines)
