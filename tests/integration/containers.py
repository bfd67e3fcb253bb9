# SPDX-License-Identifier: Apache-2.0
"""Real OCI containers for the integration tests, run with runc in the
kubelet's cgroup layout (there is no container engine on the test machines).

Things about runc that this module is shaped around:
- A detached container (`runc run -d`) without a terminal inherits runc's own
  stdin/stdout/stderr. Were they pipes, the container would hold them open
  forever and anyone reading them would hang; so they are files in the bundle
  (and /dev/null for stdin), which also keeps runc's own error messages.
- A non-detached `runc exec` copies the process's output through its own
  pipes and lasts until every holder of them has exited (see Container.exec).
- `runc exec` reads the process settings (capabilities, env, ...) from the
  bundle's config.json, so the bundle must live as long as the container.
- `runc delete` removes only the container's own cgroup, not the kubelet-style
  parents: see cgroups.py for how the tests clean those up.
"""

import json
import os
import secrets
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import cgroups
from programs import executable_problem

# runc keeps its state here, apart from any other runc user on the machine.
RUNC_ROOT = cgroups.STATE_DIR / "runc"
NAME_PREFIX = "vigil-test-"
BUSYBOX = Path("/bin/busybox")

# What a pod gets from the container runtime when it asks for nothing more:
# tests should see the capabilities of an ordinary Kubernetes container.
DEFAULT_CAPABILITIES = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
    "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
)

# Keeps a detached container alive until it is deleted.
IDLE_ARGS = ("/bin/sleep", "2147483647")


class ContainerError(RuntimeError):
    pass


def runc(*args, timeout=30, **kwargs) -> subprocess.CompletedProcess:
    RUNC_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
    return subprocess.run(["runc", "--root", str(RUNC_ROOT), *args], timeout=timeout, **kwargs)


class Rootfs:
    """A minimal root filesystem: static busybox with its applets, just enough
    of /etc for a shell, and any extra host files (test programs)."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def build(cls, path: Path, extra_files=None) -> "Rootfs":
        """extra_files maps an absolute path in the rootfs to a host file."""
        root = Path(path)
        for directory in ("bin", "etc", "tmp", "root", "proc", "sys", "dev", "dev/shm"):
            (root / directory).mkdir(parents=True, exist_ok=True)
        (root / "tmp").chmod(0o1777)
        busybox = root / "bin" / "busybox"
        shutil.copy2(BUSYBOX, busybox)
        applets = subprocess.run([str(BUSYBOX), "--list"], check=True, capture_output=True,
                                 text=True).stdout.split()
        for applet in applets:
            # Hard links, not symlinks: exec resolves a symlink, so every applet's
            # /proc/<pid>/exe (what the sensor reports) would be /bin/busybox;
            # through a hard link the shell is /bin/sh, as on a real image.
            target = root / "bin" / applet
            if not target.exists():
                os.link(busybox, target)
        (root / "etc" / "passwd").write_text(
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        (root / "etc" / "group").write_text("root:x:0:\nnobody:x:65534:\n")
        rootfs = cls(root)
        rootfs.add_files(extra_files or {})
        return rootfs

    def add_files(self, files) -> None:
        for destination, source in files.items():
            if not Path(source).is_file():
                raise ContainerError(f"{source} does not exist")
            problem = executable_problem(source) if os.access(source, os.X_OK) else None
            if problem:
                raise ContainerError(problem)
            target = self.path / str(destination).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)

    def with_files(self, path: Path, extra_files) -> "Rootfs":
        """A copy of this rootfs at path, plus extra files."""
        rootfs = Rootfs(self.copy_to(path))
        rootfs.add_files(extra_files)
        return rootfs

    def copy_to(self, destination: Path) -> Path:
        # cp -a keeps the hard links, so a copy costs one busybox, not hundreds.
        subprocess.run(["cp", "-a", f"{self.path}/.", str(destination)], check=True)
        return Path(destination)


@dataclass(frozen=True)
class Bind:
    source: str
    destination: str
    readonly: bool = True


def _all_capabilities() -> list:
    """Every capability this kernel knows, by name, as Kubernetes grants a
    privileged container; less those outside the harness's own bounding set
    (some VMs withhold CAP_SYS_RESOURCE), which runc could not grant."""
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    status = Path("/proc/self/status").read_text()
    bounding = int(next(line.split()[1] for line in status.splitlines() if line.startswith("CapBnd:")), 16)
    names = ("CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP "
             "LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER "
             "SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE "
             "SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP "
             "MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF "
             "CHECKPOINT_RESTORE").split()
    return [f"CAP_{name}" for bit, name in enumerate(names[:last + 1]) if bounding & (1 << bit)]


def _make_privileged(config) -> None:
    """What `securityContext.privileged: true` gives a pod: every
    capability, /proc and /sys unmasked and writable, every device allowed."""
    granted = _all_capabilities()
    config["process"]["capabilities"] = {"bounding": granted, "effective": granted, "permitted": granted}
    linux = config["linux"]
    linux.pop("maskedPaths", None)
    linux.pop("readonlyPaths", None)
    linux.setdefault("resources", {})["devices"] = [{"allow": True, "access": "rwm"}]
    for mount in config["mounts"]:
        if mount["destination"] == "/sys":
            mount["options"] = [option for option in mount["options"] if option != "ro"]


class Container:
    """One runc container in the kubelet's cgroup layout.

    id: 64 hex digits, the container id as the kubelet's cgroup path shows it.
    pod_uid: a random pod UID. name: the runc name (NAME_PREFIX + id[:12]).
    """

    def __init__(self, rootfs: Rootfs, workdir: Path, args=IDLE_ARGS, env=None, qos="burstable",
                 host_pid=False, capabilities=(), binds=(), readonly_rootfs=False,
                 network_namespace=True, dev_shm_exec=False, privileged=False):
        self.id = secrets.token_hex(32)
        self.pod_uid = str(uuid.uuid4())
        self.name = NAME_PREFIX + self.id[:12]
        self.qos = qos
        self.cgroup_path = cgroups.kubelet_cgroup_path(qos, self.pod_uid, self.id)
        self.bundle = Path(workdir) / self.name
        self.host_pid = host_pid
        self._started = False
        self._deleted = False
        self.bundle.mkdir(parents=True)
        if readonly_rootfs:
            rootfs_path = rootfs.path
        else:
            # Each writable container gets its own copy: tests write into it.
            rootfs_path = rootfs.copy_to(self.bundle / "rootfs")
        self._own_rootfs = not readonly_rootfs
        runc("spec", "--bundle", str(self.bundle), check=True, capture_output=True)
        config_path = self.bundle / "config.json"
        config = json.loads(config_path.read_text())
        self._configure(config, rootfs_path, list(args), env or {}, capabilities, binds,
                        readonly_rootfs, host_pid, network_namespace, dev_shm_exec)
        if privileged:
            _make_privileged(config)
        config_path.write_text(json.dumps(config, indent=2))

    def _configure(self, config, rootfs_path, args, env, capabilities, binds, readonly_rootfs,
                   host_pid, network_namespace, dev_shm_exec):
        process = config["process"]
        process["terminal"] = False
        process["args"] = args
        process["env"] = [entry for entry in process["env"] if not entry.startswith("TERM=")]
        process["env"] += [f"HOSTNAME={self.name}"] + [f"{key}={value}" for key, value in env.items()]
        granted = list(dict.fromkeys([*DEFAULT_CAPABILITIES, *capabilities]))
        process["capabilities"] = {"bounding": granted, "effective": granted, "permitted": granted}
        config["root"] = {"path": str(rootfs_path), "readonly": readonly_rootfs}
        config["hostname"] = self.name
        linux = config["linux"]
        linux["cgroupsPath"] = self.cgroup_path
        dropped = {"pid"} if host_pid else set()
        if not network_namespace:
            dropped.add("network")
        linux["namespaces"] = [ns for ns in linux["namespaces"] if ns["type"] not in dropped]
        if dev_shm_exec:
            # Like an emptyDir (medium: Memory) mounted at /dev/shm, which many
            # pods have and which is where attackers like to drop payloads.
            for mount in config["mounts"]:
                if mount["destination"] == "/dev/shm":
                    mount["options"] = [option for option in mount["options"] if option != "noexec"]
        for bind in binds:
            config["mounts"].append({"destination": bind.destination, "type": "bind",
                                     "source": str(bind.source),
                                     "options": ["rbind", "ro" if bind.readonly else "rw"]})

    # -- lifecycle -------------------------------------------------------------

    def run(self, detached=True, timeout=30):
        """Start the container. Detached: returns once its init runs. Otherwise
        waits for it to exit and returns a CompletedProcess (runc then deletes
        the container by itself)."""
        if self._started:
            raise ContainerError(f"{self.name} was already started")
        self._started = True
        cgroups.record_before_creation(self.cgroup_path)
        stdout_path, stderr_path = self.bundle / "stdout", self.bundle / "stderr"
        command = ["run", "--bundle", str(self.bundle)]
        if detached:
            command += ["--detach", "--pid-file", str(self.bundle / "pid")]
        with open(os.devnull, "rb") as stdin, stdout_path.open("wb") as stdout, \
                stderr_path.open("wb") as stderr:
            try:
                completed = runc(*command, self.name, stdin=stdin, stdout=stdout, stderr=stderr,
                                 timeout=timeout)
            except subprocess.TimeoutExpired:
                self.delete()
                raise ContainerError(f"runc run {self.name} did not finish within {timeout}s") from None
        output = stdout_path.read_text(errors="replace")
        errors = stderr_path.read_text(errors="replace")
        if detached:
            if completed.returncode != 0:
                raise ContainerError(f"runc run -d {self.name} failed ({completed.returncode}): {errors}")
            return self
        return subprocess.CompletedProcess(completed.args, completed.returncode, output, errors)

    def exec(self, args, timeout=30, env=None, cwd=None) -> subprocess.CompletedProcess:
        """Run a process in the container and wait for it.

        runc exec (without a terminal) copies the process's stdout/stderr
        through pipes of its own and returns only once nobody holds them: a
        background child that keeps them open keeps the exec going until the
        timeout, like kubectl exec. Redirect such children's output."""
        command = ["exec"]
        for key, value in (env or {}).items():
            command += ["--env", f"{key}={value}"]
        if cwd:
            command += ["--cwd", cwd]
        token = secrets.token_hex(4)
        stdout_path, stderr_path = self.bundle / f"exec-{token}.out", self.bundle / f"exec-{token}.err"
        try:
            with open(os.devnull, "rb") as stdin, stdout_path.open("wb") as stdout, \
                    stderr_path.open("wb") as stderr:
                try:
                    completed = runc(*command, self.name, *args, stdin=stdin, stdout=stdout,
                                     stderr=stderr, timeout=timeout)
                except subprocess.TimeoutExpired:
                    raise ContainerError(f"exec {args} in {self.name} did not finish within {timeout}s; "
                                         f"output so far: {stdout_path.read_text(errors='replace')}"
                                         f"{stderr_path.read_text(errors='replace')}") from None
            return subprocess.CompletedProcess(list(args), completed.returncode,
                                               stdout_path.read_text(errors="replace"),
                                               stderr_path.read_text(errors="replace"))
        finally:
            stdout_path.unlink(missing_ok=True)
            stderr_path.unlink(missing_ok=True)

    def state(self):
        """runc's state of the container, or None if runc does not know it."""
        completed = runc("state", self.name, capture_output=True, text=True)
        if completed.returncode != 0:
            return None
        return json.loads(completed.stdout)

    def pid(self) -> int:
        """Host pid of the container's init process."""
        state = self.state()
        if state is None or not state.get("pid"):
            raise ContainerError(f"runc has no running container {self.name}")
        return int(state["pid"])

    def cgroup_directories(self) -> list:
        """The container's cgroup directory in every hierarchy that has it."""
        return cgroups.existing_directories(self.cgroup_path)

    def v2_cgroup_directory(self) -> Path:
        return cgroups.v2_root() / self.cgroup_path.lstrip("/")

    def pod_cgroup_path(self) -> str:
        return self.cgroup_path.rsplit("/", 1)[0]

    def delete(self) -> None:
        """Force-delete the container, its pod cgroups and its rootfs copy.
        Safe to call more than once and on a container that never ran."""
        if self._deleted:
            return
        self._deleted = True
        problems = []
        if self._started:
            completed = runc("delete", "--force", self.name, capture_output=True, text=True)
            if completed.returncode != 0 and "does not exist" not in completed.stderr:
                problems.append(f"runc delete {self.name}: {completed.stderr.strip()}")
            failed = cgroups.remove_recorded(under=self.pod_cgroup_path())
            if failed:
                problems.append(f"cgroups left behind: {', '.join(map(str, failed))}")
        if self._own_rootfs:
            shutil.rmtree(self.bundle / "rootfs", ignore_errors=True)
        if problems:
            raise ContainerError("; ".join(problems))

    def __enter__(self):
        if not self._started:
            self.run()
        return self

    def __exit__(self, *exc_info):
        self.delete()

    def __repr__(self):
        return f"Container({self.name}, pod {self.pod_uid}, {self.cgroup_path})"


def sweep() -> list:
    """Delete every test container runc knows under RUNC_ROOT and every cgroup
    in the ledger: leftovers of an interrupted or crashed run. Returns what
    could not be cleaned."""
    problems = []
    listed = runc("list", "--format", "json", capture_output=True, text=True)
    if listed.returncode != 0:
        problems.append(f"runc list: {listed.stderr.strip()}")
    for entry in json.loads(listed.stdout or "null") or []:
        if not entry["id"].startswith(NAME_PREFIX):
            continue
        deleted = runc("delete", "--force", entry["id"], capture_output=True, text=True)
        if deleted.returncode != 0 and "does not exist" not in deleted.stderr:
            problems.append(f"runc delete {entry['id']}: {deleted.stderr.strip()}")
    failed = cgroups.remove_recorded()
    if failed:
        problems.append(f"cgroups left behind: {', '.join(map(str, failed))}")
    return problems
