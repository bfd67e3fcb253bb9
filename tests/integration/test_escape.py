# SPDX-License-Identifier: Apache-2.0
"""Each container-escape behaviour, done inside a kubelet-style runc container,
raises its escape alert attributed to that container and pod; ordinary
container work, the runtime's own set-up and exec, and host processes that
mount or join namespaces raise none."""

import os
import subprocess
import time

from pathlib import Path

import pytest

import escape_behaviours as behaviours
from alerts import Match, container_id, describe, pod_uid, technique_ids
from escape_behaviours import EvidenceMatch, evidence, run_script
from programs import executable_problem, program_path
from sensor import Sensor
from test_benign import caused_by

T1611 = "T1611"


@pytest.fixture(scope="module")
def escape_sensor(build_dir, tmp_path_factory):
    """One sensor with the escape plugin at its defaults for the module's tests."""
    with Sensor(build_dir, tmp_path_factory.mktemp("escape-sensor"), behaviours.SENSOR_CONFIG) as sensor:
        yield sensor


@pytest.fixture(scope="module")
def escaper_rootfs(rootfs, build_dir, tmp_path_factory):
    program = program_path(build_dir, "escaper")
    problem = executable_problem(program)
    if problem:
        pytest.fail(problem)
    return rootfs.with_files(tmp_path_factory.mktemp("escaper-rootfs") / "root", {behaviours.ESCAPER: program})


@pytest.fixture(scope="module")
def host_sleeper():
    sleeper = behaviours.HostSleeper()
    yield sleeper
    sleeper.stop()


@pytest.fixture(scope="module")
def host_mount_namespace() -> int:
    # The sensor cannot read pid 1's namespaces here and takes its own, which are the test's.
    return os.stat("/proc/self/ns/mnt").st_ino


def expect(sensor, container, rule, technique=T1611, **evidence_fields) -> dict:
    alert = sensor.wait_for_alert(EvidenceMatch(rule, container, **evidence_fields))
    assert technique in technique_ids(alert), f"expected {technique}: {describe(alert)}"
    assert container_id(alert) == container.id, describe(alert)
    assert pod_uid(alert) == container.pod_uid, describe(alert)
    return alert


# ---- host-control files --------------------------------------------------------

def test_release_agent_and_notify_on_release(escape_sensor, container_factory):
    container = container_factory(privileged=True)
    run_script(container, behaviours.release_agent_script())

    agent = expect(escape_sensor, container, "escape.release_agent_write", control_file="release_agent")
    assert agent["severity"] == "critical", describe(agent)
    assert evidence(agent)["succeeded"] is True
    assert evidence(agent)["opened_name"] == "release_agent"
    expect(escape_sensor, container, "escape.release_agent_write", control_file="notify_on_release")
    # Mounting a cgroup v1 hierarchy is itself a step of this escape.
    expect(escape_sensor, container, "escape.mount_cgroupfs", fstype="cgroup")


CONTROL_FILES = [
    ("/proc/sys/kernel/core_pattern", "escape.core_pattern_write"),
    ("/proc/sysrq-trigger", "escape.sysrq_trigger_write"),
    ("/proc/sys/kernel/modprobe", "escape.modprobe_write"),
]


@pytest.mark.parametrize("path, rule", CONTROL_FILES, ids=[rule.split(".")[1] for _, rule in CONTROL_FILES])
def test_host_control_file_opened_for_writing(escape_sensor, container_factory, path, rule):
    container = container_factory(privileged=True)
    run_script(container, behaviours.open_for_writing_script(path))

    # Kernels without sysrq or module support lack the file: the attempt fails and still counts.
    alert = expect(escape_sensor, container, rule, path=path)
    assert evidence(alert)["succeeded"] is os.path.exists(path), describe(alert)


def test_core_pattern_attempt_from_unprivileged_container(escape_sensor, container_factory):
    container = container_factory()
    run_script(container, behaviours.open_for_writing_script("/proc/sys/kernel/core_pattern"))

    alert = expect(escape_sensor, container, "escape.core_pattern_write", succeeded=False)
    assert alert["severity"] == "medium", describe(alert)


def test_binfmt_misc_register_through_an_unusual_mount_point(escape_sensor, container_factory):
    container = container_factory(privileged=True)
    run_script(container, """set -e
mkdir -p /tmp/formats
mount -t binfmt_misc binfmt_misc /tmp/formats
: >> /tmp/formats/register
umount /tmp/formats""")

    # Identified by the filesystem of the opened file, not by its path.
    alert = expect(escape_sensor, container, "escape.binfmt_misc_register", path="/tmp/formats/register")
    assert evidence(alert)["opened_name"] == "register", describe(alert)


# ---- mounts and root changes ---------------------------------------------------

def test_block_device_mount(escape_sensor, container_factory):
    major, minor, fstype = behaviours.host_root_device()
    container = container_factory(privileged=True)
    run_script(container, behaviours.block_device_mount_script(major, minor, fstype))

    alert = expect(escape_sensor, container, "escape.mount_block_device", source="/tmp/hostdisk")
    assert evidence(alert)["fstype"] == fstype


@pytest.mark.parametrize("fstype, rule", [("proc", "escape.mount_procfs"), ("cgroup2", "escape.mount_cgroupfs")])
def test_filesystem_mount(escape_sensor, container_factory, fstype, rule):
    container = container_factory(privileged=True)
    run_script(container, behaviours.filesystem_mount_script(fstype))

    alert = expect(escape_sensor, container, rule, fstype=fstype)
    assert evidence(alert)["succeeded"] is True, describe(alert)


def test_bind_mount_of_a_host_process_root(escape_sensor, container_factory, host_sleeper):
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, behaviours.host_root_bind_script(host_sleeper.pid))

    alert = expect(escape_sensor, container, "escape.mount_host_root", source=f"/proc/{host_sleeper.pid}/root")
    # The kernel refuses binds across mount namespaces; the attempt is still reported, lower.
    if not evidence(alert)["succeeded"]:
        assert alert["severity"] == "medium", describe(alert)


def test_chroot_into_the_host_root(escape_sensor, container_factory, host_sleeper, host_mount_namespace):
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, behaviours.chroot_script(host_sleeper.pid))

    alert = expect(escape_sensor, container, "escape.root_change_to_host", syscall="chroot")
    assert evidence(alert)["new_root_mount_namespace"] == host_mount_namespace, describe(alert)
    assert alert["severity"] == "critical"


def test_pivot_root_into_the_host_root(escape_sensor, container_factory, tmp_path):
    major, minor, fstype = behaviours.host_root_device()
    put_old = tmp_path / "put-old"
    put_old.mkdir()
    container = container_factory(privileged=True)
    run_script(container, behaviours.pivot_root_script(major, minor, fstype, put_old))

    alert = expect(escape_sensor, container, "escape.root_change_to_host", syscall="pivot_root",
                   succeeded=True)
    assert evidence(alert)["new_root_is_filesystem_top"] is True, describe(alert)


# ---- namespaces ----------------------------------------------------------------

def test_nsenter_into_the_host_mount_namespace(escape_sensor, container_factory, host_sleeper,
                                               host_mount_namespace):
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, behaviours.nsenter_script(host_sleeper.pid))

    alert = expect(escape_sensor, container, "escape.join_host_namespace", host_namespaces_joined="mnt")
    assert evidence(alert)["mount_namespace_after"] == host_mount_namespace, describe(alert)
    assert evidence(alert)["mount_namespace_before"] != host_mount_namespace, describe(alert)
    assert alert["severity"] == "critical"
    # /bin/true then runs from the host's filesystem, still in the container's cgroup.
    expect(escape_sensor, container, "escape.host_mount_namespace_exec")


def test_nsenter_into_another_container(escape_sensor, container_factory):
    neighbour = container_factory()
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, behaviours.nsenter_script(neighbour.pid()))

    alert = expect(escape_sensor, container, "escape.join_namespace")
    assert alert["severity"] == "high", describe(alert)


def test_proc_root_of_a_host_process(escape_sensor, container_factory, host_sleeper):
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, behaviours.proc_root_script(host_sleeper.pid))

    alert = expect(escape_sensor, container, "escape.proc_root_access", target_pid=host_sleeper.pid)
    assert evidence(alert)["target_in_host_mount_namespace"] is True, describe(alert)
    assert alert["severity"] == "critical"


# ---- kernel code ---------------------------------------------------------------

MODULE_LOADS = pytest.mark.parametrize("script, syscall", [
    ("/escaper init-module", "init_module"),
    ("echo garbage > /tmp/garbage.ko && /escaper finit-module /tmp/garbage.ko", "finit_module"),
], ids=["init_module", "finit_module"])
KERNEL_LOADS_MODULES = Path("/proc/modules").exists()


@MODULE_LOADS
def test_kernel_module_load(escape_sensor, escaper_rootfs, container_factory, script, syscall):
    # Unprivileged: the kernel refuses before reading anything.
    container = container_factory(rootfs=escaper_rootfs)
    mark = escape_sensor.alert_count()
    run_script(container, script)

    if KERNEL_LOADS_MODULES:
        # The module syscalls' tracepoints exist: the refusal itself is seen.
        alert = expect(escape_sensor, container, "escape.kernel_module_load", technique="T1547.006",
                       syscall=syscall, succeeded=False)
        assert T1611 in technique_ids(alert)
    else:
        # A kernel without module support has no such tracepoints, and the call
        # can only fail: by default no program runs on every syscall to see it.
        assert escape_sensor.stderr_lines_with("escape", "module_enter_raw", "not needed", "cannot load modules"), \
            escape_sensor.stderr_tail()
        escape_sensor.assert_no_alert(Match(rule="escape.kernel_module_load", container=container), settle=1.0,
                                      since=mark)


@MODULE_LOADS
@pytest.mark.skipif(KERNEL_LOADS_MODULES, reason="this kernel loads modules: its tracepoints see every attempt")
def test_kernel_module_load_attempt_watched_on_every_syscall_when_asked(sensor_factory, escaper_rootfs,
                                                                        container_factory, script, syscall):
    # Asked for, the entry-only fallback on every syscall reports the attempt, as one that cannot succeed here.
    sensor = sensor_factory({"plugins": {"escape": {"module_attempts_on_every_syscall": True}},
                             "alerts": {"dedup_window_s": 0}})
    assert sensor.stderr_lines_with("escape", "module_enter_raw", "attached"), sensor.stderr_tail()
    container = container_factory(rootfs=escaper_rootfs)
    run_script(container, script)
    alert = expect(sensor, container, "escape.kernel_module_load", technique="T1547.006",
                   syscall=syscall, outcome_known=False, kernel_loads_modules=False)
    assert alert["severity"].lower() == "high", describe(alert)
    assert T1611 in technique_ids(alert)
    # What that program costs every syscall of the node is measured and said.
    deadline = time.monotonic() + 15
    while not sensor.stderr_lines_with("module_enter_raw", "ns per syscall") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert sensor.stderr_lines_with("module_enter_raw", "ns per syscall"), sensor.stderr_tail()


def test_bpf_program_load(escape_sensor, escaper_rootfs, container_factory):
    container = container_factory(rootfs=escaper_rootfs)
    run_script(container, "/escaper bpf-load")

    expect(escape_sensor, container, "escape.bpf_program_load", syscall="bpf", program_name="escaper_probe")


def test_user_namespace_then_mount(escape_sensor, container_factory):
    container = container_factory()
    run_script(container, behaviours.userns_mount_script())

    alert = expect(escape_sensor, container, "escape.userns_then_mount")
    sequence = evidence(alert)["syscall_sequence"]
    assert sequence[0].startswith("unshare(") and "CLONE_NEWUSER" in sequence[0], describe(alert)
    assert sequence[1].startswith("mount("), describe(alert)


# ---- benign --------------------------------------------------------------------

WEB_SERVER = ("/bin/sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && "
              "exec /bin/httpd -f -p 8080 -h /tmp/www")

ORDINARY_WORK = [
    "cat /etc/passwd /etc/group > /dev/null; grep root /etc/passwd > /dev/null",
    "for i in 1 2 3 4 5; do wget -q -O - http://127.0.0.1:8080/ | grep -q hello; done",
    "echo config > /tmp/app.conf && cat /tmp/app.conf > /dev/null && ls -la /proc/self/ > /dev/null",
    "cat /proc/self/mountinfo /proc/self/status > /dev/null; ls /proc/1/ > /dev/null",
    "sleep 0.2",
]


def test_ordinary_container_raises_nothing(escape_sensor, container_factory):
    mark = escape_sensor.alert_count()
    # Started by runc while the sensor watches: its set-up (mounts, pivot_root) must not alert.
    container = container_factory(args=WEB_SERVER)
    for script in ORDINARY_WORK:
        # Every one of these is a `runc exec`: the runtime joining the container's namespaces.
        run_script(container, script)

    escape_sensor.assert_no_alert(Match(plugin="escape", container=container), settle=2.0, since=mark)
    escape_sensor.assert_no_alert(lambda alert: alert.get("plugin") == "escape" and caused_by(container)(alert),
                                  settle=0.5, since=mark)
    # The silence is the sensor's judgement, not blindness: the same container is watched.
    assert_watched(escape_sensor, container)


def test_privileged_hostpid_container_start_and_exec_raise_nothing(escape_sensor, container_factory):
    mark = escape_sensor.alert_count()
    container = container_factory(privileged=True, host_pid=True)
    run_script(container, "cat /etc/hostname > /dev/null 2>&1; ps > /dev/null; true")

    escape_sensor.assert_no_alert(lambda alert: alert.get("plugin") == "escape" and caused_by(container)(alert),
                                  settle=2.0, since=mark)
    assert_watched(escape_sensor, container)


def test_host_processes_mounting_and_joining_namespaces_raise_nothing(escape_sensor, container_factory,
                                                                       tmp_path):
    mark = escape_sensor.alert_count()
    container = container_factory()
    target = tmp_path / "mnt"
    target.mkdir()
    # The host's own mounts, in a mount namespace of their own, and an operator entering a container.
    subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                    f"mount -t tmpfs none {target} && mount -t proc proc {target} && "
                    f"mount -t cgroup2 none {target}"], check=True, timeout=30)
    subprocess.run(["nsenter", "-t", str(container.pid()), "-m", "-p", "--", "/bin/true"], check=True, timeout=30)
    subprocess.run(["unshare", "-U", "-r", "-m", "sh", "-c", f"mount -t tmpfs none {target}"], check=True,
                   timeout=30)

    escape_sensor.assert_no_alert(lambda alert: alert.get("plugin") == "escape", settle=2.0, since=mark)
    assert_watched(escape_sensor, container)


def assert_watched(sensor, container):
    """A positive control after a benign case: core_pattern opened for writing
    (and closed unwritten) in the same container is reported."""
    mark = sensor.alert_count()
    run_script(container, behaviours.open_for_writing_script("/proc/sys/kernel/core_pattern"))
    sensor.wait_for_alert(Match(rule="escape.core_pattern_write", container=container), since=mark)


# ---- the plugin's acceptance scenario, on its default configuration --------------

def test_release_agent_and_host_nsenter_alert_on_the_default_configuration(sensor_factory, container_factory,
                                                                            host_sleeper):
    sensor = sensor_factory({"plugins": {"escape": {}}})
    writer = container_factory(privileged=True)
    run_script(writer, behaviours.release_agent_script())
    joiner = container_factory(privileged=True, host_pid=True)
    run_script(joiner, behaviours.nsenter_script(host_sleeper.pid))

    expect(sensor, writer, "escape.release_agent_write", control_file="release_agent")
    expect(sensor, joiner, "escape.join_host_namespace", host_namespaces_joined="mnt")


def test_raw_tracepoint_fallback_still_detects(sensor_factory, container_factory, host_sleeper):
    # Without tp/ programs the syscalls go through raw_tp/sys_enter and sys_exit, the setup group through tp_btf.
    sensor = sensor_factory({"plugins": {"escape": {}}, "sensor": {"disabled_attach_types": ["tp"]}})
    assert sensor.stderr_lines_with("escape", "sys_enter_raw", "attached"), sensor.stderr_tail()
    writer = container_factory(privileged=True)
    run_script(writer, behaviours.release_agent_script())
    joiner = container_factory(privileged=True, host_pid=True)
    run_script(joiner, behaviours.nsenter_script(host_sleeper.pid))
    quiet = container_factory()
    run_script(quiet, "cat /etc/passwd > /dev/null")

    expect(sensor, writer, "escape.release_agent_write", control_file="release_agent")
    expect(sensor, joiner, "escape.join_host_namespace", host_namespaces_joined="mnt")
    sensor.assert_no_alert(Match(plugin="escape", container=quiet), settle=1.0)
