# SPDX-License-Identifier: Apache-2.0
"""What a cryptocurrency miner does, done inside a container for the
cryptomining tests: the `miner_sim` test program (copied in as /miner_sim, and
as /usr/local/bin/xmrig, under which name it only pretends to mine) and
busybox applets, each started through a shell (`; exit $?` keeps the shell in
the ancestry: busybox sh would exec the last command in place).
"""

import shutil
from pathlib import Path

import pytest

from programs import executable_problem, program_path

MINER_SIM = "/miner_sim"
XMRIG = "/usr/local/bin/xmrig"
# Nothing listens in the container's own network namespace: a query to its
# loopback is refused at once, one to another address is unreachable at once.
DNS_SERVER = "127.0.0.1"
UNREACHABLE_POOL = "10.0.0.1"

# The plugin's CPU rule tuned so that one core spun for a few seconds is
# enough; the default thresholds (a 40 s window) are covered by unit tests.
FAST_CPU_OPTIONS = {"cpu_threshold_cores": 0.5, "cpu_window_s": 4, "cpu_sample_interval_s": 1}


class BehaviourFailed(AssertionError):
    pass


def miner_files(build_dir: Path) -> dict:
    program = program_path(build_dir, "miner_sim")
    problem = executable_problem(program)
    if problem:
        pytest.fail(problem)
    return {MINER_SIM: program, XMRIG: program}


def isolated_plugin_dir(build_dir: Path, directory: Path) -> Path:
    """A plugin directory with only this plugin and the jsonl output, so that
    the other detectors built beside it neither load nor alert here. The
    sensor refuses plugins group- or world-writable: 0755 and 0644."""
    directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    directory.chmod(0o755)
    source = Path(build_dir) / "lib" / "vigil" / "plugins"
    for name in ("cryptomining.so", "jsonl.so"):
        target = directory / name
        shutil.copy2(source / name, target)
        target.chmod(0o644)
    return directory


def shell(command: str) -> list:
    return ["/bin/sh", "-c", f"{command}; exit $?"]


def run(container, command: str, timeout: float = 30):
    """Runs `command` in the container through a shell; it must succeed."""
    completed = container.exec(shell(command), timeout=timeout)
    if completed.returncode != 0:
        raise BehaviourFailed(f"`{command}` exited with {completed.returncode} in {container.name}:\n"
                              f"stdout: {completed.stdout}\nstderr: {completed.stderr}")
    return completed


def start_miner(container, pool: str = "stratum+tcp://pool.example:3333"):
    return run(container, f"{XMRIG} -o {pool} -u 4Awallet --donate-level 1")


def connect_pool(container, port: int):
    return run(container, f"{MINER_SIM} connect {UNREACHABLE_POOL} {port}")


def dns_query(container, how: str, name: str):
    """One query for `name` by `how`: sendto, send, write, sendmsg or sendmmsg
    (miner_sim), or nslookup (busybox's resolver: connect, then write, which
    the plugin does not hook)."""
    if how == "nslookup":
        # Refused by the loopback: nslookup fails, but its query was sent.
        return container.exec(shell(f"nslookup {name} {DNS_SERVER}"), timeout=30)
    return run(container, f"{MINER_SIM} dns {how} {DNS_SERVER} {name}")


def spin(container, seconds: float):
    return run(container, f"{MINER_SIM} spin {seconds}", timeout=seconds + 30)
