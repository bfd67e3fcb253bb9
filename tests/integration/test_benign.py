# SPDX-License-Identifier: Apache-2.0
"""Ordinary container work raises no alert, while the sensor demonstrably
watches: the same container's attack afterwards does alert."""

from alerts import Match, ancestry_exes, container_id, pod_uid
from injector import CONTAINER_OPTIONS, run_behaviour

# What a workload does all day. Each runs as `sh -c <command>` and must succeed.
ORDINARY_WORK = {
    "shell loop": "i=0; while [ $i -lt 200 ]; do i=$((i + 1)); done; test $i -eq 200",
    "read passwd": "cat /etc/passwd > /dev/null",
    "list everything": "ls -R / > /dev/null 2>&1; true",
    "child that exits": "sh -c 'exit 3'; test $? -eq 3 && (true) && { /bin/true & wait $!; }",
    "sleep": "sleep 0.2",
    "benign test program": "/injector benign",
    "files in /tmp": "echo data > /tmp/file && cat /tmp/file > /tmp/copy && cmp /tmp/file /tmp/copy "
                     "&& mkdir -p /tmp/dir/sub && mv /tmp/copy /tmp/dir/sub/ && rm -r /tmp/file /tmp/dir",
}


def caused_by(container):
    """Alerts the container's work could have caused: from its processes, its
    pod, or the runtime acting for it (runc sets up every exec on the host).
    Alerts from unrelated host activity are not this test's business: the
    sensor watches the whole node, which may be busy with other work."""
    def predicate(alert):
        exes = [(alert.get("process") or {}).get("exe") or "", *ancestry_exes(alert)]
        return (container_id(alert) == container.id or pod_uid(alert) == container.pod_uid
                or any(exe.endswith("/runc") for exe in exes))
    predicate.__name__ = f"caused_by({container.name})"
    return predicate


def test_ordinary_work_raises_no_alert_but_an_attack_does(injection_sensor, injector_rootfs,
                                                          container_factory):
    mark = injection_sensor.alert_count()
    container = container_factory(rootfs=injector_rootfs, **CONTAINER_OPTIONS)

    for name, command in ORDINARY_WORK.items():
        completed = container.exec(["/bin/sh", "-c", command], timeout=60)
        assert completed.returncode == 0, f"{name} failed: {completed.stdout}{completed.stderr}"
    injection_sensor.assert_no_alert(caused_by(container), settle=2.0, since=mark)

    run_behaviour(container, "ptrace attach")
    injection_sensor.wait_for_alert(Match(rule="injection.ptrace_attach", container=container), since=mark)
