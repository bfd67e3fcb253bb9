# SPDX-License-Identifier: Apache-2.0
"""Cgroup hierarchies on this host, the kubelet's cgroup layout, and removal of
the cgroups the tests create.

runc creates a container's cgroup with all missing parents (mkdir -p) in every
hierarchy, but `runc delete` removes only the container's own leaf: the
kubelet-style parents (kubepods/<qos>/pod<uid>) stay behind. The tests
therefore write every cgroup directory they cause to exist into a ledger
before runc creates it, and remove exactly those later, never anything that
was there before (on a real node kubepods belongs to the kubelet).
"""

import ctypes
import errno
import os
import time
from dataclasses import dataclass
from pathlib import Path

# Where the test harness keeps its state (runc's, the ledger): on tmpfs like
# the cgroups themselves, so a reboot clears both together and the ledger never
# names cgroups from an older boot. VIGIL_TEST_STATE_DIR gives a run its own,
# so that two runs on one machine do not sweep each other's containers.
STATE_DIR = Path(os.environ.get("VIGIL_TEST_STATE_DIR", "/run/vigil-test"))
LEDGER = STATE_DIR / "cgroup-ledger"

QOS_CLASSES = ("guaranteed", "burstable", "besteffort")


@dataclass(frozen=True)
class Hierarchy:
    mount_point: Path
    version: int  # 1 or 2
    controllers: tuple  # v1 controllers (or name=...) of the mount; empty for v2


def hierarchies(mountinfo: str = "/proc/self/mountinfo") -> list:
    """Every cgroup hierarchy mounted here, from mountinfo rather than assuming
    /sys/fs/cgroup is v2: hybrid hosts put v2 at /sys/fs/cgroup/unified."""
    found = []
    seen = set()
    for line in Path(mountinfo).read_text().splitlines():
        fields = line.split()
        separator = fields.index("-")
        root, mount_point = fields[3], fields[4]
        fstype, super_options = fields[separator + 1], fields[separator + 3]
        if fstype not in ("cgroup", "cgroup2"):
            continue
        # A mount of a sub-directory of a hierarchy (as inside a container) does
        # not show the kubepods paths where this module would look for them.
        if root != "/" or mount_point in seen:
            continue
        seen.add(mount_point)
        if fstype == "cgroup2":
            found.append(Hierarchy(Path(mount_point), 2, ()))
        else:
            controllers = tuple(option for option in super_options.split(",")
                                if option not in ("rw", "ro") and not option.startswith("release_agent"))
            found.append(Hierarchy(Path(mount_point), 1, controllers))
    return found


def v2_root() -> Path:
    for hierarchy in hierarchies():
        if hierarchy.version == 2:
            return hierarchy.mount_point
    raise RuntimeError("no cgroup v2 hierarchy is mounted (see /proc/self/mountinfo)")


def kubelet_cgroup_path(qos: str, pod_uid: str, container_id: str) -> str:
    """The cgroupfs-driver layout of the kubelet: /kubepods/<qos>/pod<uid>/<id>,
    where guaranteed pods sit directly under /kubepods."""
    if qos not in QOS_CLASSES:
        raise ValueError(f"qos must be one of {QOS_CLASSES}, not {qos!r}")
    qos_level = "" if qos == "guaranteed" else f"/{qos}"
    return f"/kubepods{qos_level}/pod{pod_uid}/{container_id}"


def directories_for(cgroup_path: str) -> list:
    """The directories, in every hierarchy, that a cgroup path may occupy."""
    relative = cgroup_path.strip("/")
    return [hierarchy.mount_point / relative for hierarchy in hierarchies()]


def record_before_creation(cgroup_path: str) -> None:
    """Write into the ledger every directory of cgroup_path (and of its parents)
    that does not exist yet, in any hierarchy, before runc creates them."""
    parts = cgroup_path.strip("/").split("/")
    missing = []
    for hierarchy in hierarchies():
        for depth in range(1, len(parts) + 1):
            directory = hierarchy.mount_point.joinpath(*parts[:depth])
            if not directory.exists():
                missing.append(str(directory))
    if missing:
        LEDGER.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        with LEDGER.open("a") as ledger:
            ledger.write("".join(f"{path}\n" for path in missing))


def _ledger_entries() -> list:
    if not LEDGER.exists():
        return []
    return [Path(line) for line in LEDGER.read_text().splitlines() if line.strip()]


def remove_recorded(under: str = "") -> list:
    """Remove the ledger's cgroups (only those below `under` if given: a path
    relative to the hierarchy roots), deepest first. Returns those that could
    not be removed, which stay in the ledger for the next sweep."""
    entries = _ledger_entries()
    prefix = under.strip("/")
    chosen = [entry for entry in entries if not prefix or _is_below(entry, prefix)]
    failed = []
    for directory in sorted(set(chosen), key=lambda path: len(path.parts), reverse=True):
        if not remove_cgroup(directory):
            failed.append(directory)
    keep = [entry for entry in entries if entry not in chosen or entry in failed]
    if entries != keep:
        _rewrite_ledger(keep)
    return failed


def _is_below(directory: Path, relative_prefix: str) -> bool:
    for hierarchy in hierarchies():
        try:
            relative = directory.relative_to(hierarchy.mount_point)
        except ValueError:
            continue
        return str(relative) == relative_prefix or str(relative).startswith(relative_prefix + "/")
    return False


def _rewrite_ledger(entries: list) -> None:
    if not entries:
        LEDGER.unlink(missing_ok=True)
        return
    temporary = LEDGER.with_suffix(".new")
    temporary.write_text("".join(f"{entry}\n" for entry in dict.fromkeys(entries)))
    temporary.replace(LEDGER)


def remove_cgroup(directory: Path, timeout: float = 5.0) -> bool:
    """rmdir a cgroup, waiting while its last processes die. Processes still in
    a leaf cgroup after its container was force-deleted are killed through
    cgroup.kill (v2), so that a crashed run cannot pin the cgroup forever."""
    deadline = time.monotonic() + timeout
    killed = False
    while True:
        try:
            directory.rmdir()
            return True
        except FileNotFoundError:
            return True
        except OSError as error:
            if error.errno != errno.EBUSY:
                raise
        if _has_child_cgroups(directory):
            # Child cgroups the ledger does not name are not ours to remove.
            return False
        if not killed and (directory / "cgroup.kill").exists():
            try:
                (directory / "cgroup.kill").write_text("1")
            except OSError:
                pass
            killed = True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _has_child_cgroups(directory: Path) -> bool:
    try:
        return any(entry.is_dir() for entry in directory.iterdir())
    except FileNotFoundError:
        return False


def existing_directories(cgroup_path: str) -> list:
    return [directory for directory in directories_for(cgroup_path) if directory.exists()]


class _FileHandle(ctypes.Structure):
    _fields_ = [("handle_bytes", ctypes.c_uint), ("handle_type", ctypes.c_int),
                ("f_handle", ctypes.c_ubyte * 8)]


def cgroup_id(directory: Path) -> int:
    """The kernel's id of a v2 cgroup, as bpf_get_current_cgroup_id() returns
    it: the 64-bit kernfs node id inside the directory's file handle."""
    libc = ctypes.CDLL(None, use_errno=True)
    handle = _FileHandle(handle_bytes=8)
    mount_id = ctypes.c_int()
    at_fdcwd = -100
    if libc.name_to_handle_at(at_fdcwd, os.fsencode(str(directory)), ctypes.byref(handle),
                              ctypes.byref(mount_id), 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(directory))
    return int.from_bytes(bytes(handle.f_handle)[:handle.handle_bytes], "little")
