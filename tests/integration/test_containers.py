# SPDX-License-Identifier: Apache-2.0
"""The harness itself: containers look to the sensor like kubelet-managed pods,
their options do what they say, and nothing is left behind."""

import os
import time

import pytest

import cgroups
import containers
from containers import Bind


def v2_cgroup_of(container) -> str:
    lines = container.exec(["/bin/cat", "/proc/self/cgroup"]).stdout.splitlines()
    v2 = [line[len("0::"):] for line in lines if line.startswith("0::")]
    assert len(v2) == 1, f"no single cgroup v2 line in /proc/self/cgroup: {lines}"
    return v2[0]


@pytest.mark.parametrize("qos, expected_prefix", [
    ("burstable", "/kubepods/burstable/pod"),
    ("besteffort", "/kubepods/besteffort/pod"),
    ("guaranteed", "/kubepods/pod"),
])
def test_cgroup_is_the_kubelet_layout_in_v2(container_factory, qos, expected_prefix):
    container = container_factory(qos=qos)
    assert len(container.id) == 64 and int(container.id, 16) >= 0
    assert v2_cgroup_of(container) == f"{expected_prefix}{container.pod_uid}/{container.id}"


def test_v2_cgroup_inode_is_the_kernel_cgroup_id(container_factory):
    container = container_factory()
    directory = container.v2_cgroup_directory()
    assert directory.is_dir(), f"{directory} does not exist on the host"
    # The sensor identifies containers by the cgroup id the kernel reports
    # (bpf_get_current_cgroup_id); on cgroup v2 that is the directory's inode.
    assert directory.stat().st_ino == cgroups.cgroup_id(directory)
    host_view = f"/proc/{container.pid()}/cgroup"
    with open(host_view) as cgroup_file:
        assert f"0::{container.cgroup_path}\n" in cgroup_file.read()


def test_exec_returns_output_and_exit_code(container_factory):
    container = container_factory()
    completed = container.exec(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"])
    assert (completed.returncode, completed.stdout, completed.stderr) == (3, "out\n", "err\n")


def test_exec_returns_once_background_children_let_go_of_its_output(container_factory):
    container = container_factory()
    started = time.monotonic()
    completed = container.exec(["/bin/sh", "-c", "sleep 60 >/dev/null 2>&1 & echo started"], timeout=20)
    assert completed.stdout == "started\n"
    assert time.monotonic() - started < 10


def test_exec_times_out_instead_of_hanging(container_factory):
    # runc exec copies the process's output through pipes of its own and
    # returns only when nothing holds them any more, like kubectl exec: here
    # the background sleep does, so only the timeout ends the exec.
    container = container_factory()
    started = time.monotonic()
    with pytest.raises(containers.ContainerError, match="did not finish within 1s"):
        container.exec(["/bin/sh", "-c", "sleep 60 & echo started"], timeout=1)
    assert time.monotonic() - started < 10


def test_own_pid_namespace_by_default(container_factory):
    container = container_factory()
    assert container.exec(["/bin/cat", "/proc/1/cmdline"]).stdout.split("\0")[0] == "/bin/sleep"
    assert container.exec(["/bin/sh", "-c", f"test -d /proc/{os.getpid()}"]).returncode != 0


def test_host_pid_container_sees_host_pids(container_factory):
    container = container_factory(host_pid=True)
    init = container.pid()
    assert container.exec(["/bin/cat", f"/proc/{init}/cmdline"]).stdout.split("\0")[0] == "/bin/sleep"
    assert container.exec(["/bin/sh", "-c", f"test -d /proc/{os.getpid()}"]).returncode == 0
    assert container.exec(["/bin/readlink", "/proc/self/ns/pid"]).stdout.strip() == os.readlink("/proc/self/ns/pid")


def test_network_namespace_option(container_factory):
    host = os.readlink("/proc/self/ns/net")
    isolated = container_factory()
    shared = container_factory(network_namespace=False)
    assert isolated.exec(["/bin/readlink", "/proc/self/ns/net"]).stdout.strip() != host
    assert shared.exec(["/bin/readlink", "/proc/self/ns/net"]).stdout.strip() == host


def effective_capabilities(container) -> int:
    status = container.exec(["/bin/cat", "/proc/self/status"]).stdout
    line = next(line for line in status.splitlines() if line.startswith("CapEff:"))
    return int(line.split()[1], 16)


def test_capability_additions(container_factory):
    cap_sys_ptrace = 1 << 19
    assert not effective_capabilities(container_factory()) & cap_sys_ptrace
    assert effective_capabilities(container_factory(capabilities=["CAP_SYS_PTRACE"])) & cap_sys_ptrace


def test_writable_rootfs_is_private_to_its_container(container_factory):
    first, second = container_factory(), container_factory()
    assert first.exec(["/bin/sh", "-c", "echo secret > /etc/written && cat /etc/written"]).stdout == "secret\n"
    assert second.exec(["/bin/cat", "/etc/written"]).returncode != 0


def test_readonly_rootfs(container_factory):
    container = container_factory(readonly_rootfs=True)
    assert container.exec(["/bin/touch", "/etc/written"]).returncode != 0


def test_bind_mount(container_factory, tmp_path):
    token_dir = tmp_path / "serviceaccount"
    token_dir.mkdir()
    (token_dir / "token").write_text("not-a-real-token")
    destination = "/var/run/secrets/kubernetes.io/serviceaccount"
    container = container_factory(binds=[Bind(str(token_dir), destination)])
    assert container.exec(["/bin/cat", f"{destination}/token"]).stdout == "not-a-real-token"
    assert container.exec(["/bin/touch", f"{destination}/other"]).returncode != 0


def test_busybox_applets_are_there(container_factory):
    container = container_factory()
    completed = container.exec(["/bin/sh", "-c", "for applet in ls cat sleep echo true wget nc; do "
                                "test -x /bin/$applet || echo missing $applet; done"])
    assert completed.stdout == ""


def test_foreground_run(container_factory):
    container = container_factory(start=False, args=["/bin/sh", "-c", "echo hi; exit 4"])
    completed = container.run(detached=False)
    assert (completed.returncode, completed.stdout) == (4, "hi\n")


def existing_kubepods_directories() -> set:
    found = set()
    for hierarchy in cgroups.hierarchies():
        kubepods = hierarchy.mount_point / "kubepods"
        if kubepods.is_dir():
            found.add(kubepods)
            found.update(path for path in kubepods.rglob("*") if path.is_dir())
    return found


def test_delete_leaves_no_cgroup_in_any_hierarchy(container_factory):
    before = existing_kubepods_directories()
    container = container_factory(qos="besteffort")
    versions = {hierarchy.version for hierarchy in cgroups.hierarchies()
                if (hierarchy.mount_point / container.cgroup_path.lstrip("/")).is_dir()}
    assert 2 in versions
    if any(hierarchy.version == 1 for hierarchy in cgroups.hierarchies()):
        assert 1 in versions, "runc made no cgroup in the v1 hierarchies of this hybrid host"
    container.delete()
    assert cgroups.existing_directories(container.pod_cgroup_path()) == []
    # The kubepods parents the tests created go at the end of the session;
    # removing them now must leave nothing that was not there before the test.
    cgroups.remove_recorded(under="kubepods")
    left = existing_kubepods_directories() - before
    assert not left, f"cgroups left behind: {sorted(map(str, left))}"


def test_sweep_cleans_up_after_a_crashed_run(container_factory):
    container = container_factory()
    init = container.pid()
    # As if the test process had died here: only the sweep knows about it now.
    assert containers.sweep() == []
    assert container.state() is None
    assert cgroups.existing_directories(container.pod_cgroup_path()) == []
    assert not os.path.exists(f"/proc/{init}") or _is_zombie_or_gone(init)


def _is_zombie_or_gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
