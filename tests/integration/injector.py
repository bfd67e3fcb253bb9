# SPDX-License-Identifier: Apache-2.0
"""Running the `injector` test program's behaviours inside a container.

The program is copied into the rootfs as /injector. It is started through a
shell, as an attacker's tooling usually is, so that the alert's process
ancestry has a shell in it. The trailing `; exit $?` matters: busybox sh
execs the last command of `sh -c` in place instead of forking it, which would
leave no shell in the ancestry at all.
"""

INJECTOR = "/injector"

# What a container running injection behaviours needs: ptrace of other
# processes, and /dev/shm that allows exec (like an emptyDir in memory).
CONTAINER_OPTIONS = {"capabilities": ["CAP_SYS_PTRACE"], "dev_shm_exec": True}


# The sensor configuration these behaviours are detected with: the injection
# plugin at its defaults, and every alert sent (deduplication off), because
# each test looks for its own alert even when an earlier test had one alike.
SENSOR_CONFIG = {"plugins": {"injection": {}}, "alerts": {"dedup_window_s": 0}}


class BehaviourFailed(AssertionError):
    pass


def shell_command(subcommand: str) -> list:
    return ["/bin/sh", "-c", f"{INJECTOR} {subcommand}; exit $?"]


def run_behaviour(container, subcommand: str, timeout: float = 30):
    """Run `/injector <subcommand>` in the container; it must succeed, or the
    behaviour the test expects an alert for did not happen."""
    completed = container.exec(shell_command(subcommand), timeout=timeout)
    if completed.returncode != 0:
        raise BehaviourFailed(f"`{INJECTOR} {subcommand}` exited with {completed.returncode} in "
                              f"{container.name}:\nstdout: {completed.stdout}\nstderr: {completed.stderr}")
    return completed
