# SPDX-License-Identifier: Apache-2.0
"""The real sensor, run as the tests' subject: `vigil run -c <config.toml>`.

Contract with the sensor (see README.md):
- it logs to stderr, and logs a line containing "sensor ready" once every probe
  is attached and events are being drained;
- it writes alerts as JSON Lines to [outputs.jsonl] path;
- SIGTERM stops it within a few seconds.
"""

import atexit
import ctypes
import signal
import subprocess
import time
from pathlib import Path

import toml_writer
from alerts import any_alert, describe_all, read_alerts
from vigil_binary import default_plugin_dir, vigil_path

READY_MARKER = "sensor ready"
POLL_INTERVAL = 0.05

# Sensors still running when the interpreter exits (an interrupted run) are
# killed: a sensor left behind would keep BPF programs attached to the node.
_running = set()


@atexit.register
def _kill_leftovers():
    for process in list(_running):
        if process.poll() is None:
            process.kill()
            process.wait()


def _stop_when_the_tests_die():
    """Runs in the sensor's process before exec: if pytest is killed outright
    (SIGKILL, OOM killer), where neither teardown nor atexit runs, the kernel
    sends the orphaned sensor SIGTERM instead of leaving it on the node."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)


class SensorError(AssertionError):
    pass


def deep_merge(base: dict, overrides: dict) -> dict:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def harness_config(build_dir: Path, workdir: Path, overrides=None, plugin_dir=None) -> dict:
    """The configuration every test sensor starts from, merged with the test's own."""
    base = {
        "sensor": {
            "plugin_dir": str(plugin_dir or default_plugin_dir(build_dir)),
            "log_level": "debug",
            "stats_interval_s": 0,
            # Each test sensor keeps its plugins' state (drift's profiles) apart: the default is the node's.
            "state_directory": str(Path(workdir) / "state"),
        },
        # Each test sensor has a spool of its own: the default path is the
        # node's, and a spool refuses a second sensor.
        "alerts": {"spool_path": str(Path(workdir) / "spool.db")},
        "outputs": {
            "jsonl": {"enabled": True, "path": str(Path(workdir) / "alerts.jsonl")},
            "stdout": {"enabled": False},
        },
    }
    return deep_merge(base, overrides or {})


class Sensor:
    def __init__(self, build_dir: Path, workdir: Path, config_overrides=None, plugin_dir=None):
        self.build_dir = Path(build_dir)
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config = harness_config(build_dir, workdir, config_overrides, plugin_dir)
        self.config_path = self.workdir / "config.toml"
        self.alerts_path = Path(self.config["outputs"]["jsonl"]["path"])
        self.stderr_path = self.workdir / "stderr.log"
        self.stdout_path = self.workdir / "stdout.log"
        self.config_path.write_text(toml_writer.dumps(self.config))
        self.process = None
        self.exit_code = None

    # -- lifecycle -------------------------------------------------------------

    def start(self, wait_ready=True, timeout=30.0):
        with self.stdout_path.open("wb") as stdout, self.stderr_path.open("wb") as stderr:
            # Its own session: a Ctrl-C at the terminal reaches pytest, whose
            # teardown then stops the sensor in order, with SIGTERM.
            self.process = subprocess.Popen(
                [str(vigil_path(self.build_dir)), "run", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True,
                preexec_fn=_stop_when_the_tests_die)
        _running.add(self.process)
        if wait_ready:
            self.wait_ready(timeout)
        return self

    def wait_ready_or_exit(self, timeout=30.0) -> bool:
        """True once the sensor said it is ready, False if it exited first."""
        deadline = time.monotonic() + timeout
        while True:
            if READY_MARKER in self.stderr_text():
                return True
            if self.process.poll() is not None:
                self._reap()
                # It may have said ready just before exiting.
                return READY_MARKER in self.stderr_text()
            if time.monotonic() >= deadline:
                self.kill()
                raise SensorError(f"the sensor did not log {READY_MARKER!r} within {timeout}s; "
                                  f"killed it. stderr:\n{self.stderr_tail()}")
            time.sleep(POLL_INTERVAL)

    def wait_ready(self, timeout=30.0):
        if not self.wait_ready_or_exit(timeout) or not self.running():
            raise SensorError(f"the sensor exited with code {self.exit_code} before it was ready. "
                              f"stderr:\n{self.stderr_tail()}")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout=10.0) -> int:
        """SIGTERM, then wait; a sensor that does not stop in time is killed and
        the test fails. Returns the exit code (negative: killed by a signal)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise SensorError(f"the sensor did not stop within {timeout}s of SIGTERM; killed it. "
                                  f"stderr:\n{self.stderr_tail()}") from None
        self._reap()
        return self.exit_code

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._reap()

    def _reap(self):
        if self.process is not None and self.process.poll() is not None:
            self.exit_code = self.process.returncode
            _running.discard(self.process)

    def __enter__(self):
        if self.process is None:
            self.start()
        return self

    def __exit__(self, exc_type, *_):
        try:
            self.stop()
        except SensorError:
            # Do not hide the failure that is already on its way out.
            if exc_type is None:
                raise

    # -- output ----------------------------------------------------------------

    def stderr_text(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stderr_tail(self, lines=60) -> str:
        return "\n".join(self.stderr_text().splitlines()[-lines:]) or "(empty)"

    def stderr_lines_with(self, *needles, case_sensitive=True) -> list:
        """The stderr lines that contain every one of the needles."""
        found = []
        for line in self.stderr_text().splitlines():
            haystack = line if case_sensitive else line.lower()
            if all((needle if case_sensitive else needle.lower()) in haystack for needle in needles):
                found.append(line)
        return found

    def alerts(self, since=0) -> list:
        """The alerts written so far; since: a count from alert_count(), to see
        only those that came after it (the sensor is shared by a module)."""
        return read_alerts(self.alerts_path)[since:]

    def alert_count(self) -> int:
        return len(self.alerts())

    def wait_for_alert(self, predicate, timeout=10.0, since=0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for alert in self.alerts(since):
                if predicate(alert):
                    return alert
            if not self.running():
                self._reap()
                raise SensorError(f"the sensor exited (code {self.exit_code}) while waiting for "
                                  f"{predicate!r}; alerts:\n{describe_all(self.alerts(since))}\n"
                                  f"stderr:\n{self.stderr_tail()}")
            if time.monotonic() >= deadline:
                raise SensorError(f"no {predicate!r} within {timeout}s; the alerts that did arrive:\n"
                                  f"{describe_all(self.alerts(since))}\nsensor stderr:\n{self.stderr_tail(30)}")
            time.sleep(POLL_INTERVAL)

    def assert_no_alert(self, predicate=any_alert, settle=2.0, since=0):
        """Wait `settle` seconds (the time an alert would need to arrive) and
        fail at once if a matching alert shows up."""
        deadline = time.monotonic() + settle
        while True:
            matching = [alert for alert in self.alerts(since) if predicate(alert)]
            if matching:
                raise SensorError(f"unexpected alerts matching {_name(predicate)}:\n{describe_all(matching)}")
            if not self.running():
                self._reap()
                raise SensorError(f"the sensor exited (code {self.exit_code}); stderr:\n{self.stderr_tail()}")
            if time.monotonic() >= deadline:
                return
            time.sleep(POLL_INTERVAL)


def _name(predicate) -> str:
    return getattr(predicate, "__name__", None) or repr(predicate)
