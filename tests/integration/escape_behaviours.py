# SPDX-License-Identifier: Apache-2.0
"""The container-escape behaviours of the escape plugin's integration tests,
as busybox shell scripts run inside a container, and the host-side helpers
they need.

Host safety: every script touches only what it made itself or leaves the host
as it found it. The cgroup v1 hierarchy of the release_agent scenario is a
named one the script mounts (and destroys by unmounting); host-control files
are opened for writing and closed without a byte written (`: >> file` opens
with O_APPEND, so nothing is truncated either); the module loads offer
garbage; mounts happen inside the container's own mount namespace.
"""

import os
import secrets
import subprocess
from pathlib import Path

from alerts import Match

ESCAPER = "/escaper"

# What the escape sensor runs with: the plugin at its defaults, every alert sent
# (each test looks for its own alert, even when an earlier test had one alike).
SENSOR_CONFIG = {"plugins": {"escape": {}}, "alerts": {"dedup_window_s": 0}}


class BehaviourFailed(AssertionError):
    pass


def run_script(container, script: str, timeout: float = 30, check: bool = True):
    """Run `sh -c <script>` in the container through a shell that stays in the
    ancestry (`; exit $?` keeps busybox from exec'ing the last command)."""
    completed = container.exec(["/bin/sh", "-c", f"{script}\nexit $?"], timeout=timeout)
    if check and completed.returncode != 0:
        raise BehaviourFailed(f"script failed ({completed.returncode}) in {container.name}:\n{script}\n"
                              f"stdout: {completed.stdout}\nstderr: {completed.stderr}")
    return completed


def host_root_device():
    """(major, minor, fstype) of the filesystem the host's / lives on."""
    device = os.stat("/").st_dev
    fstype = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "/"], capture_output=True, text=True,
                            check=True).stdout.strip()
    return os.major(device), os.minor(device), fstype


class HostSleeper:
    """A plain `sleep` on the host: a host process whose namespaces and root
    are the host's (pid 1 is unreadable on the test machines)."""

    def __init__(self):
        self.process = subprocess.Popen(["sleep", "600"], stdin=subprocess.DEVNULL)
        self.pid = self.process.pid

    def stop(self):
        self.process.kill()
        self.process.wait()


def evidence(alert: dict) -> dict:
    return alert.get("evidence") or {}


class EvidenceMatch(Match):
    """Match, plus evidence fields that must have given values."""

    def __init__(self, rule, container, **expected):
        super().__init__(rule=rule, container=container)
        self.expected = expected

    def __call__(self, alert: dict) -> bool:
        if not super().__call__(alert):
            return False
        found = evidence(alert)
        return all(found.get(key) == value for key, value in self.expected.items())

    def __repr__(self):
        return super().__repr__()[:-1] + f", evidence={self.expected})"


# ---- scripts -------------------------------------------------------------------

def release_agent_script() -> str:
    """A cgroup v1 named hierarchy of the test's own: the release agent and a
    child's notify_on_release opened for writing, the child's value written
    back unchanged; unmounting destroys the hierarchy."""
    name = f"vigiltest{secrets.token_hex(4)}"
    return f"""set -e
d=/tmp/{name}
mkdir -p $d
mount -t cgroup -o none,name={name} cgroup $d
mkdir $d/child
cat $d/child/notify_on_release > /tmp/notify.value
cat /tmp/notify.value > $d/child/notify_on_release
: >> $d/release_agent
rmdir $d/child
umount $d"""


def open_for_writing_script(path: str) -> str:
    """Opens @path for writing and closes it without writing; a missing file
    (this kernel may lack it) makes the open fail, which is an attempt too."""
    return f"( : >> {path} ) 2>/dev/null; true"


def block_device_mount_script(major: int, minor: int, fstype: str) -> str:
    """A device node for the host's root disk, mounted read-only (the kernel
    may refuse it while the host has it read-write: the attempt counts)."""
    return f"""mknod /tmp/hostdisk b {major} {minor}
mkdir -p /tmp/hostdisk.mnt
mount -t {fstype} -o ro /tmp/hostdisk /tmp/hostdisk.mnt && umount /tmp/hostdisk.mnt
true"""


def filesystem_mount_script(fstype: str) -> str:
    return f"""set -e
mkdir -p /tmp/{fstype}.mnt
mount -t {fstype} {fstype} /tmp/{fstype}.mnt
umount /tmp/{fstype}.mnt"""


def host_root_bind_script(host_pid: int) -> str:
    """Kernels refuse binding a mount of another mount namespace (EINVAL):
    the attempt is what an attacker makes, and what is looked for."""
    return f"""mkdir -p /tmp/hostroot
mount --bind /proc/{host_pid}/root /tmp/hostroot && umount /tmp/hostroot
true"""


def chroot_script(host_pid: int) -> str:
    return f"chroot /proc/{host_pid}/root /bin/true"


def pivot_root_script(major: int, minor: int, fstype: str, put_old_on_host: Path) -> str:
    """In a mount namespace of its own (busybox unshare makes it private), the
    host's root disk is mounted (the kernel hands back the superblock the host
    already has; nothing is written) and becomes the shell's root; put_old is
    a directory the test made on the host. The namespace dies with the shell."""
    put_old = str(put_old_on_host).lstrip("/")
    return f"""mknod /tmp/hostdisk b {major} {minor}
mkdir -p /tmp/hostroot
unshare -m sh -c 'set -e; mount -t {fstype} /tmp/hostdisk /tmp/hostroot; cd /tmp/hostroot; \
pivot_root . {put_old}; exit 0'"""


def nsenter_script(target_pid: int) -> str:
    return f"nsenter -t {target_pid} -m -- /bin/true"


def proc_root_script(target_pid: int) -> str:
    return f"ls /proc/{target_pid}/root/ > /dev/null"


def userns_mount_script() -> str:
    return "mkdir -p /tmp/userns.mnt; unshare -U -r -m mount -t tmpfs none /tmp/userns.mnt || true"
